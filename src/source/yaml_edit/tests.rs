use super::*;
use serde_json::json;

const MEMBER: &str = "# En-tête gardé\ncivilite: Mme\nprenom: Claire\nnom: Martin # nom d’usage\nlieux:\n  - adresse: 1 rue A\n    code_postal: \"83340\"\n    commune: \"83073\"\n    horaires: Lundi\n\n  # second cabinet\n  - adresse: 2 rue B\n    code_postal: \"83550\"\n    commune: \"83148\"\npresentation: >-\n  Deux lignes\n  de texte.\npublie: true\n";

fn member_order(path: &[Step]) -> Vec<String> {
    let keys: &[&str] = match path {
        [] => &["civilite", "prenom", "nom", "profession", "rpps", "lieux", "presentation", "publie"],
        [Step::Key(k), Step::Index(_)] if k == "lieux" => {
            &["nom", "adresse", "code_postal", "commune", "telephone", "horaires"]
        }
        _ => &[],
    };
    keys.iter().map(|k| k.to_string()).collect()
}

/// Applies `change` to the file's value and returns the new text.
fn edit(text: &str, front: bool, change: impl FnOnce(&mut Value)) -> String {
    let mut f = EditableFile::parse(text, front).unwrap();
    let mut v = f.value().clone();
    change(&mut v);
    f.set(&v, &member_order).unwrap();
    f.text()
}

#[test]
fn a_value_is_replaced_and_its_comment_kept() {
    let out = edit(MEMBER, false, |v| v["nom"] = json!("Martin-Durand"));
    assert_eq!(out, MEMBER.replace("nom: Martin # nom", "nom: Martin-Durand # nom"));
}

#[test]
fn quoting_follows_the_old_value_and_the_text() {
    let out = edit(MEMBER, false, |v| v["lieux"][0]["code_postal"] = json!("83550"));
    assert_eq!(out, MEMBER.replacen("code_postal: \"83340\"", "code_postal: \"83550\"", 1));
    let out = edit(MEMBER, false, |v| v["prenom"] = json!("true"));
    assert_eq!(out, MEMBER.replace("prenom: Claire", "prenom: \"true\""));
    let out = edit("a: 'x'\n", false, |v| v["a"] = json!("l'eau"));
    assert_eq!(out, "a: 'l''eau'\n");
}

#[test]
fn missing_keys_go_after_their_predecessor() {
    let out = edit(MEMBER, false, |v| {
        v["rpps"] = json!("10000000009");
        v["profession"] = json!("infirmier");
    });
    assert_eq!(
        out,
        MEMBER
            .replace("Martin # nom d’usage\n", "Martin # nom d’usage\nprofession: infirmier\nrpps: \"10000000009\"\n")
    );
}

#[test]
fn places_are_edited_added_and_removed_in_place() {
    let out = edit(MEMBER, false, |v| {
        v["lieux"][0]["telephone"] = json!("04 94 00 00 01");
        v["lieux"][1]["nom"] = json!("Cabinet B");
        v["lieux"][0]["adresse"] = json!("1 rue A bis");
        v["lieux"]
            .as_array_mut()
            .unwrap()
            .push(json!({"adresse": "3 rue C", "code_postal": "83340", "commune": "83073"}));
    });
    let expected = MEMBER
        .replace(
            "    commune: \"83073\"\n    horaires",
            "    commune: \"83073\"\n    telephone: \"04 94 00 00 01\"\n    horaires",
        )
        .replace("- adresse: 1 rue A\n", "- adresse: 1 rue A bis\n")
        .replace("  - adresse: 2 rue B\n", "  - nom: Cabinet B\n    adresse: 2 rue B\n")
        .replace(
            "    commune: \"83148\"\n",
            "    commune: \"83148\"\n  - adresse: 3 rue C\n    code_postal: \"83340\"\n    commune: \"83073\"\n",
        );
    assert_eq!(out, expected);
    // The first place goes; the comment before the second stays.
    let out = edit(MEMBER, false, |v| {
        v["lieux"].as_array_mut().unwrap().remove(0);
    });
    assert_eq!(
        out,
        MEMBER.replace(
            "  - adresse: 1 rue A\n    code_postal: \"83340\"\n    commune: \"83073\"\n    horaires: Lundi\n",
            ""
        )
    );
}

#[test]
fn the_first_key_of_an_item_hands_its_dash_over() {
    let out = edit(MEMBER, false, |v| {
        v["lieux"][1].as_object_mut().unwrap().remove("adresse");
    });
    assert_eq!(
        out,
        MEMBER.replace("  - adresse: 2 rue B\n    code_postal: \"83550\"\n", "  - code_postal: \"83550\"\n")
    );
}

#[test]
fn block_texts_are_replaced_whole_in_their_style() {
    let out = edit(MEMBER, false, |v| v["presentation"] = json!("Court."));
    assert_eq!(out, MEMBER.replace(">-\n  Deux lignes\n  de texte.\n", ">-\n  Court.\n"));
    let out = edit(MEMBER, false, |v| v["presentation"] = json!("Un\n\nDeux\n"));
    assert_eq!(out, MEMBER.replace(">-\n  Deux lignes\n  de texte.\n", "|\n  Un\n\n  Deux\n"));
    let lit = "a: |\n    x\n    y\nb: 1\n";
    assert_eq!(edit(lit, false, |v| v["a"] = json!("x\nz\n")), "a: |\n    x\n    z\nb: 1\n");
}

#[test]
fn lists_change_style_only_when_they_must() {
    let flow = "codes: [\"83340\", \"83550\"] # deux\nc: [43.1, 6.2]\n";
    assert_eq!(edit(flow, false, |v| v["codes"] = json!(["83340"])), "codes: [\"83340\"] # deux\nc: [43.1, 6.2]\n");
    assert_eq!(
        edit(flow, false, |v| v["c"] = json!([43.5, 6.25])),
        "codes: [\"83340\", \"83550\"] # deux\nc: [43.5, 6.25]\n"
    );
    let empty = "a: []\nb: 1\n";
    assert_eq!(edit(empty, false, |v| v["a"] = json!(["x", "y"])), "a: [x, \"y\"]\nb: 1\n");
    let block = "a:\n  - u\n  - v\nb: 1\n";
    assert_eq!(edit(block, false, |v| v["a"] = json!([])), "a: []\nb: 1\n");
    assert_eq!(edit(block, false, |v| v["a"] = json!(["v"])), "a:\n  - v\nb: 1\n");
    assert_eq!(edit(block, false, |v| v["a"] = json!(["w", "u", "v"])), "a:\n  - w\n  - u\n  - v\nb: 1\n");
    let compact = "a:\n- u\nb: 1\n";
    assert_eq!(edit(compact, false, |v| v["a"] = json!(["u", "w"])), "a:\n- u\n- w\nb: 1\n");
    let absent = "b: 1\n";
    assert_eq!(edit(absent, false, |v| v["a"] = json!([{"k": 1, "l": "m"}])), "b: 1\na:\n  - k: 1\n    l: m\n");
}

#[test]
fn keys_are_removed_with_their_lines_only() {
    let out = edit(MEMBER, false, |v| {
        v.as_object_mut().unwrap().remove("presentation");
    });
    assert_eq!(out, MEMBER.replace("presentation: >-\n  Deux lignes\n  de texte.\n", ""));
}

#[test]
fn front_matter_and_body() {
    let md = "---\ntitre: A # t\nseances:\n  - date: 2026-11-10\n    debut: \"08:30\"\n---\n\n## Corps\n\nTexte.\n";
    let mut f = EditableFile::parse(md, true).unwrap();
    assert_eq!(f.body(), Some("\n## Corps\n\nTexte.\n"));
    let mut v = f.value().clone();
    v["seances"].as_array_mut().unwrap().push(json!({"date": "2026-11-17", "debut": "09:00"}));
    f.set(&v, &member_order).unwrap();
    f.set_body("\n## Corps\n\nAutre.\n");
    assert_eq!(
        f.text(),
        "---\ntitre: A # t\nseances:\n  - date: 2026-11-10\n    debut: \"08:30\"\n  - date: 2026-11-17\n    debut: \"09:00\"\n---\n\n## Corps\n\nAutre.\n"
    );
    assert_eq!(f.path_at(5), vec![Step::Key("seances".into()), Step::Index(0), Step::Key("debut".into())]);
    assert_eq!(f.line_of(&[Step::Key("seances".into()), Step::Index(1)]), Some(6));
    // A body whose only difference is CRLF line endings is not rewritten.
    let mut f = EditableFile::parse(md, true).unwrap();
    f.set_body("\r\n## Corps\r\n\r\nTexte.\r\n");
    assert_eq!(f.text(), md);
}

#[test]
fn windows_line_endings_and_bom_are_kept() {
    let text = "\u{feff}a: 1\r\nb: x\r\n";
    let out = edit(text, false, |v| v["c"] = json!("z"));
    assert_eq!(out, "\u{feff}a: 1\r\nb: x\r\nc: z\r\n");
}

#[test]
fn new_files_are_written_in_order() {
    let mut f = EditableFile::empty(false);
    f.set(
        &json!({"publie": true, "nom": "Martin", "lieux": [{"commune": "83073", "adresse": "1 rue A"}]}),
        &member_order,
    )
    .unwrap();
    assert_eq!(f.text(), "nom: Martin\nlieux:\n  - adresse: 1 rue A\n    commune: \"83073\"\npublie: true\n");
    let mut f = EditableFile::empty(true);
    f.set(&json!({"titre": "Une page"}), &member_order).unwrap();
    f.set_body("Texte.\n");
    assert_eq!(f.text(), "---\ntitre: Une page\n---\nTexte.\n");
    assert_eq!(EditableFile::parse(&f.text(), true).unwrap().body(), Some("Texte.\n"));
}

#[test]
fn files_it_cannot_edit_safely_are_refused() {
    for bad in ["a: &x 1\nb: *x\n", "a: !!str 1\n", "? a\n: b\n", "- a\n- b\n", "a: 1\n---\nb: 2\n"] {
        assert!(EditableFile::parse(bad, false).is_err(), "{bad:?}");
    }
    assert!(matches!(EditableFile::parse("titre: x\n", true), Err(EditError::Shape { .. })));
    assert!(matches!(EditableFile::parse("a: [1\n", false), Err(EditError::Unreadable(_))));
}

#[test]
fn an_edit_that_would_not_read_back_changes_nothing() {
    let mut f = EditableFile::parse("a: 1\n", false).unwrap();
    // Not a mapping: refused, and the file stays as it was.
    assert!(f.set(&json!([1]), &member_order).is_err());
    assert_eq!(f.text(), "a: 1\n");
}

#[test]
fn lists_align_on_equal_items() {
    let v = |a: &[i64]| a.iter().map(|x| json!(x)).collect::<Vec<_>>();
    assert_eq!(align(&v(&[1, 2, 3]), &v(&[1, 3])), vec![Align::Keep, Align::Remove, Align::Keep]);
    assert_eq!(align(&v(&[1, 2, 3]), &v(&[1, 9, 3])), vec![Align::Keep, Align::Change(1, 1), Align::Keep]);
    assert_eq!(align(&v(&[1]), &v(&[0, 1, 2])), vec![Align::Insert(0), Align::Keep, Align::Insert(2)]);
}

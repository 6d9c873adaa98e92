//! Content images: resized into a few widths, WebP plus a JPEG or PNG fallback, `width` and
//! `height` on every `<img>`, encoded once and then read from the cache, and unreadable files
//! reported at the `src:` that names them.

mod common;

use common::*;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use maillage::diagnostic::Diagnostic;
use maillage::render::images::{self, CACHE_DIR};
use std::io::Cursor;
use std::path::Path;

/// A photo-like opaque picture: smooth gradients plus a deterministic grain.
fn photo(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let grain = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 23) as u8;
        Rgb([(x * 255 / w) as u8 / 2 + grain, (y * 255 / h) as u8 / 2 + grain, 120 + grain])
    })
}

fn encoded(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    encoded(DynamicImage::ImageRgb8(photo(w, h)), ImageFormat::Jpeg)
}

/// A PNG with a transparent border around an opaque disc.
fn transparent_png(w: u32, h: u32) -> Vec<u8> {
    let img = RgbaImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as i64 - w as i64 / 2, y as i64 - h as i64 / 2);
        if dx * dx + dy * dy < (h as i64 / 3).pow(2) { Rgba([200, 30, 90, 255]) } else { Rgba([0, 0, 0, 0]) }
    });
    encoded(DynamicImage::ImageRgba8(img), ImageFormat::Png)
}

fn write_bytes(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// An action whose front matter has `image` (YAML lines) at line 4 of the file.
fn action(image: &str) -> String {
    format!(
        "---\ntitre: Dépistage\nresume: Un dépistage.\n{image}seances:\n  - date: 2027-01-15\n    lieu: Salle des fêtes\n    commune: \"83073\"\n---\nCorps.\n"
    )
}

/// A site with one action illustrated by `content/static/images/<file>`.
fn site_with(file: &str, bytes: &[u8], image_yaml: &str) -> tempfile::TempDir {
    let s = site(&[("content/actions/depistage.md", &action(image_yaml))]);
    write_bytes(s.path(), &format!("content/static/images/{file}"), bytes);
    s
}

fn alt(file: &str) -> String {
    format!("image:\n  src: images/{file}\n  alt: Le stand de dépistage\n")
}

/// The variant files written for a stem, as (width, extension), sorted.
fn variants(root: &Path, stem: &str) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = std::fs::read_dir(public(root).join("images"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            let rest = name.strip_prefix(&format!("{stem}-"))?;
            let (base, ext) = rest.rsplit_once('.')?;
            let width = base.rsplit('-').next()?.parse().ok()?;
            Some((width, ext.to_string()))
        })
        .collect();
    out.sort();
    out
}

/// The `<img>` tag of the first `<picture>` of a page.
fn img_tag(html: &str) -> (String, Vec<(String, String)>) {
    let start = html.find("<picture").expect("une image <picture>");
    let tag = tags(&html[start..]).into_iter().find(|t| t.starts_with("<img")).unwrap();
    parse_tag(tag)
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn errors(root: &Path) -> Vec<Diagnostic> {
    maillage::check_site(&opts(root, &public(root))).into_iter().filter(Diagnostic::is_error).collect()
}

#[test]
fn a_large_photo_gets_four_widths_in_webp_and_jpeg() {
    let s = site_with("stand.jpg", &jpeg(2000, 1000), &alt("stand.jpg"));
    let report = build(s.path());
    assert_eq!(report.images.images, 1);
    assert_eq!(report.images.encoded, 1);
    let expected: Vec<(u32, String)> =
        [480, 800, 1200, 1600].into_iter().flat_map(|w| [(w, "jpg".to_string()), (w, "webp".to_string())]).collect();
    assert_eq!(variants(s.path(), "stand"), expected, "jamais la largeur d’origine (2000) au-delà de 1600");

    // Every file is what its name says.
    for entry in std::fs::read_dir(public(s.path()).join("images")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let Some(rest) = name.strip_prefix("stand-") else { continue };
        let width: u32 = rest.rsplit_once('.').unwrap().0.rsplit('-').next().unwrap().parse().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let format = image::guess_format(&bytes).unwrap();
        assert_eq!(format, if name.ends_with(".webp") { ImageFormat::WebP } else { ImageFormat::Jpeg }, "{name}");
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (width, width / 2), "{name}");
    }

    // The page: a <picture> with a WebP source, width and height of the widest variant, eager
    // at the top of the action page.
    let html = read(&public(s.path()), "prevention/depistage/index.html");
    assert!(html.contains("<source type=\"image/webp\" srcset=\"/images/stand-"), "{html}");
    let (_, attrs) = img_tag(&html);
    assert_eq!(attr(&attrs, "width"), Some("1600"));
    assert_eq!(attr(&attrs, "height"), Some("800"));
    assert_eq!(attr(&attrs, "alt"), Some("Le stand de dépistage"));
    assert_eq!(attr(&attrs, "fetchpriority"), Some("high"));
    assert!(attr(&attrs, "src").unwrap().ends_with("-800.jpg"));
    assert_eq!(attr(&attrs, "srcset").unwrap().matches(".jpg ").count(), 4);
    // Every URL of the srcsets is a written file.
    for url in attr(&attrs, "srcset").unwrap().split(", ").map(|c| c.split(' ').next().unwrap()) {
        assert!(public(s.path()).join(url.trim_start_matches('/')).is_file(), "{url}");
    }

    // The social card uses the page's own image, 1200 px wide, as JPEG.
    assert!(html.contains("<meta property=\"og:image:width\" content=\"1200\">"), "{html}");
    assert!(html.contains("<meta property=\"og:image:height\" content=\"600\">"), "{html}");
    assert!(html.contains("<meta property=\"og:image:type\" content=\"image/jpeg\">"), "{html}");
    assert!(html.contains(&format!("<meta property=\"og:image\" content=\"{SITE_URL}/images/stand-")), "{html}");

    // In the list of actions, the card's image loads lazily.
    let list = read(&public(s.path()), "prevention/index.html");
    let (_, attrs) = img_tag(&list);
    assert_eq!(attr(&attrs, "loading"), Some("lazy"));
    assert_eq!(attr(&attrs, "decoding"), Some("async"));
}

#[test]
fn a_small_image_is_never_upscaled() {
    let s = site_with("petit.jpg", &jpeg(600, 400), &alt("petit.jpg"));
    build(s.path());
    let expected = vec![(480, "jpg".into()), (480, "webp".into()), (600, "jpg".into()), (600, "webp".into())];
    assert_eq!(variants(s.path(), "petit"), expected);
    let (_, attrs) = img_tag(&read(&public(s.path()), "prevention/depistage/index.html"));
    assert_eq!((attr(&attrs, "width"), attr(&attrs, "height")), (Some("600"), Some("400")));
}

#[test]
fn transparency_keeps_a_png_fallback() {
    let s = site_with("ruban.png", &transparent_png(900, 600), &alt("ruban.png"));
    build(s.path());
    let expected: Vec<(u32, String)> =
        [480, 800, 900].into_iter().flat_map(|w| [(w, "png".into()), (w, "webp".into())]).collect();
    assert_eq!(variants(s.path(), "ruban"), expected);
    let html = read(&public(s.path()), "prevention/depistage/index.html");
    let (_, attrs) = img_tag(&html);
    assert!(attr(&attrs, "src").unwrap().ends_with(".png"));
    assert!(html.contains("<meta property=\"og:image:type\" content=\"image/png\">"));
    // The WebP keeps the transparency.
    let webp = std::fs::read(
        public(s.path()).join(attr(&attrs, "src").unwrap().trim_start_matches('/').replace(".png", ".webp")),
    )
    .unwrap();
    assert!(image::load_from_memory(&webp).unwrap().to_rgba8().pixels().any(|p| p[3] == 0));
}

#[test]
fn an_opaque_png_gets_a_jpeg_fallback() {
    let png = encoded(DynamicImage::ImageRgba8(DynamicImage::ImageRgb8(photo(500, 300)).to_rgba8()), ImageFormat::Png);
    let s = site_with("opaque.png", &png, &alt("opaque.png"));
    build(s.path());
    assert_eq!(variants(s.path(), "opaque"), vec![(500, "jpg".into()), (500, "webp".into())]);
}

#[test]
fn a_decorative_image_has_an_empty_alt_and_a_missing_alt_is_an_error() {
    let s = site_with("deco.jpg", &jpeg(500, 300), "image:\n  src: images/deco.jpg\n  decorative: true\n");
    build(s.path());
    let (_, attrs) = img_tag(&read(&public(s.path()), "prevention/depistage/index.html"));
    assert_eq!(attr(&attrs, "alt"), Some(""));

    let s = site_with("sans-alt.jpg", &jpeg(500, 300), "image:\n  src: images/sans-alt.jpg\n");
    let e = errors(s.path());
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!((e[0].code, e[0].line, e[0].column), ("M044", 5, 8));
}

#[test]
fn the_second_build_reads_the_cache_and_encodes_nothing() {
    let s = site_with("stand.jpg", &jpeg(1300, 700), &alt("stand.jpg"));
    let first = build(s.path());
    assert_eq!((first.images.encoded, first.images.from_disk), (1, 0));
    let cache = s.path().join(CACHE_DIR);
    let before = mtimes(&cache);
    assert_eq!(before.len(), 1 + 2 * 3, "480, 800 et 1300 : {before:#?}");
    let mut output = read_tree(&public(s.path()));

    // Into another folder, so that the build runs in full (the same folder would be up to date).
    let other = s.path().join("public-2");
    let second = maillage::build(&opts(s.path(), &other)).unwrap();
    assert_eq!((second.images.encoded, second.images.from_disk), (0, 1));
    assert_eq!(mtimes(&cache), before, "le cache n’est pas réécrit");
    let mut again = read_tree(&other);
    // The markers differ by the files' dates.
    output.remove(maillage::output::MARKER);
    again.remove(maillage::output::MARKER);
    assert_eq!(again, output, "mêmes fichiers, mêmes octets");

    // Another image: the old entries are pruned, the new one encoded.
    write_bytes(s.path(), "content/static/images/stand.jpg", &jpeg(700, 500));
    let third = build(s.path());
    assert_eq!(third.images.encoded, 1);
    assert_eq!(mtimes(&cache).len(), 1 + 2 * 2);
    assert!(mtimes(&cache).keys().all(|k| !before.contains_key(k)));
}

#[test]
fn a_corrupt_image_is_reported_at_its_src() {
    // A format Maillage does not read (BMP), and a truncated PNG; an SVG is published sanitised.
    let mut truncated = encoded(DynamicImage::ImageRgb8(photo(800, 600)), ImageFormat::Png);
    truncated.truncate(truncated.len() / 3);
    let mut bmp = b"BM".to_vec();
    bmp.extend([0; 60]);
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>";
    let s = site_with("dessin.svg", svg, &alt("dessin.svg"));
    assert_eq!(errors(s.path()), Vec::new(), "an SVG is an image of the site");
    for (file, bytes, message) in
        [("coupee.png", truncated, "image illisible"), ("dessin.bmp", bmp, "format d’image non pris en charge")]
    {
        let s = site_with(file, &bytes, &alt(file));
        let e = errors(s.path());
        assert_eq!(e.len(), 1, "{file}: {e:#?}");
        assert_eq!(
            (e[0].code, e[0].file.as_str(), e[0].line, e[0].column),
            ("M062", "content/actions/depistage.md", 5, 8),
            "{file}"
        );
        assert!(e[0].message.starts_with(message), "{file}: {}", e[0].message);
        assert!(e[0].message.ends_with(&format!("content/static/images/{file}")), "{}", e[0].message);
        assert!(e[0].hint.as_ref().is_some_and(|h| h.contains("JPEG")));
    }
}

/// A PNG signature and header claiming `w` × `h` pixels, with empty image data.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = !0u32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
        }
        !c
    }
    let mut chunk = b"IHDR".to_vec();
    chunk.extend(w.to_be_bytes());
    chunk.extend(h.to_be_bytes());
    chunk.extend([8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for chunk in [chunk, b"IDAT".to_vec(), b"IEND".to_vec()] {
        out.extend((chunk.len() as u32 - 4).to_be_bytes());
        out.extend(&chunk);
        out.extend(crc32(&chunk).to_be_bytes());
    }
    out
}

#[test]
fn a_huge_image_is_refused_before_decoding() {
    let s = site_with("immense.png", &png_header(9000, 6000), &alt("immense.png"));
    let e = errors(s.path());
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!((e[0].code, e[0].line, e[0].column), ("M063", 5, 8));
    assert!(e[0].message.contains("9000 × 6000"), "{}", e[0].message);
    assert!(matches!(
        images::encode(&png_header(9000, 6000), images::MAX_PIXELS),
        Err(images::ImageError::TooLarge(9000, 6000))
    ));
}

#[test]
fn member_news_and_page_images_are_shown_and_the_default_card_image_applies_elsewhere() {
    let news = "---\ntitre: Une nouvelle\ndate: 2026-11-01\nresume: Du nouveau.\nimage:\n  src: images/nouvelle.jpg\n  alt: Une photo\n---\nTexte.\n";
    let page = "---\ntitre: Une page\nimage:\n  src: images/page.jpg\n  alt: Une autre photo\n---\nTexte.\n";
    let member = replace_once(
        MEMBER_YAML,
        "publie: true",
        "image:\n  src: images/portrait.jpg\n  alt: Le cabinet\npublie: true",
    );
    let cpts =
        replace_once(CPTS_YAML, "site:\n", "site:\n  image:\n    src: images/partage.jpg\n    alt: Le territoire\n");
    let s = site(&[
        ("content/actualites/nouvelle.md", news),
        ("content/pages/une-page.md", page),
        (MEMBER_PATH, &member),
        ("content/cpts.yaml", &cpts),
    ]);
    for (name, w) in [("nouvelle.jpg", 900), ("page.jpg", 700), ("portrait.jpg", 640), ("partage.jpg", 1400)] {
        write_bytes(s.path(), &format!("content/static/images/{name}"), &jpeg(w, 400));
    }
    build(s.path());
    let out = public(s.path());
    for (page, stem) in [
        ("actualites/nouvelle/index.html", "nouvelle"),
        ("une-page/index.html", "page"),
        ("annuaire/claire-exemple/index.html", "portrait"),
    ] {
        let html = read(&out, page);
        let (_, attrs) = img_tag(&html);
        assert!(attr(&attrs, "src").unwrap().starts_with(&format!("/images/{stem}-")), "{page}");
        assert!(html.contains(&format!("<meta property=\"og:image\" content=\"{SITE_URL}/images/{stem}-")), "{page}");
    }
    // The news list shows the image in the card; pages without their own get the default.
    assert!(read(&out, "actualites/index.html").contains("<picture class=\"card-image\">"));
    let home = read(&out, "index.html");
    assert!(home.contains(&format!("<meta property=\"og:image\" content=\"{SITE_URL}/images/partage-")), "{home}");
    assert!(home.contains("<meta property=\"og:image:width\" content=\"1200\">"));
    assert!(home.contains("<meta property=\"og:image:alt\" content=\"Le territoire\">"));
}

#[test]
fn the_dev_server_keeps_encoded_images_in_memory() {
    use maillage::serve::{Changes, Session};
    let s = site_with("stand.jpg", &jpeg(900, 500), &alt("stand.jpg"));
    let mut session = Session::new(opts(s.path(), &public(s.path())));
    session.rebuild(&Changes::All).unwrap();
    let cache = s.path().join(CACHE_DIR);
    assert_eq!(mtimes(&cache).len(), 1 + 2 * 3);
    // Without the disk cache, a save of the action re-renders from memory: nothing is encoded,
    // so nothing is written to the cache again, and the variants are still published.
    std::fs::remove_dir_all(&cache).unwrap();
    let path = "content/actions/depistage.md";
    write(s.path(), path, &action(&alt("stand.jpg")).replace("Corps.", "Nouveau corps."));
    let r = session.rebuild(&Changes::Paths(vec![s.path().join(path)])).unwrap();
    assert_eq!(r.changed, vec![path.to_string()]);
    assert!(!cache.exists());
    assert_eq!(variants(s.path(), "stand").len(), 2 * 3);
    // A new version of the image is encoded, and replaces the old variants.
    let image = "content/static/images/stand.jpg";
    write_bytes(s.path(), image, &jpeg(500, 500));
    session.rebuild(&Changes::Paths(vec![s.path().join(image)])).unwrap();
    assert_eq!(mtimes(&cache).len(), 1 + 2);
    assert_eq!(variants(s.path(), "stand"), vec![(500, "jpg".into()), (500, "webp".into())]);
}

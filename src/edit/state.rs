//! The editor's state and its operations, apart from HTTP: find a record, turn a posted form into
//! a candidate file (through the schema and the format-preserving edit), check it as `maillage
//! check` would, write it only when it is right and the file has not changed meanwhile, move
//! records to the bin and back, store uploads. Writes are one at a time.

use super::content::{Change, Content, Verdict};
use super::form::{self, Fields, IndexMap, Note, Schema};
use super::guard::Guard;
use super::store::{self, StoreError};
use super::upload::{self, Destination, UploadError};
use crate::diagnostic::Diagnostic;
use crate::model::{DecodedFile, Site};
use crate::schema::Kind;
use crate::source::yaml_edit::{EditError, EditableFile, Step};
use crate::source::{SourceFile, SourceKind};
use jiff::civil::Date;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

/// How the editor is set up.
#[derive(Debug, Clone)]
pub struct EditorOptions {
    /// The site's root (holding `content/`).
    pub root: PathBuf,
    /// The day checks are made for (as `--today`), until the dev server starts a new day
    /// ([`Editor::new_day`]).
    pub today: Date,
    /// The password that opens the editor from other computers; none: this computer only.
    pub password: Option<String>,
    /// The site's public address, replacing `site.url` (links to the site's pages).
    pub base_url: Option<String>,
}

/// Called with the files the editor wrote, moved or removed (absolute paths), so that the dev
/// server rebuilds at once.
pub type Notify = Box<dyn Fn(Vec<PathBuf>) + Send + Sync>;

/// A write that succeeded, remembered by its form's submission key: the same form posted again
/// is answered with the same result, without writing again.
#[derive(Debug, Clone)]
pub struct Done {
    /// The file written.
    pub rel: String,
    /// Fingerprint of what was written.
    pub hash: u64,
    /// Where the browser was sent.
    pub location: String,
}

/// How many submissions are remembered.
const RECENT: usize = 200;

/// The editor of one site.
pub struct Editor {
    /// Its options.
    pub opts: EditorOptions,
    /// Who may use it.
    pub guard: Guard,
    content: Mutex<Content>,
    recent: Mutex<VecDeque<(String, Done)>>,
    writing: Mutex<()>,
    notify: Option<Notify>,
    /// The day checks and confirmations are made for.
    today: Mutex<Date>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A record as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Its file, relative to the root.
    pub rel: String,
    /// Its title.
    pub title: String,
    /// A detail (a member's profession and commune…).
    pub detail: String,
    /// Published or not, for kinds with the notion.
    pub published: Option<bool>,
    /// Whether its file does not decode.
    pub broken: bool,
}

/// A form turned into a candidate file.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The record's kind.
    pub kind: Kind,
    /// Its file, relative to the root.
    pub rel: String,
    /// The record's new value.
    pub value: Value,
    /// Form indices of the value's list items.
    pub index: IndexMap,
    /// The file's new text.
    pub text: String,
    /// The same, ready to map lines to fields.
    pub file: EditableFile,
}

/// Messages of a candidate, placed: at fields (by form path), or for the whole record.
#[derive(Debug, Clone, Default)]
pub struct Placed {
    /// Messages at fields.
    pub fields: BTreeMap<String, Vec<Note>>,
    /// Messages about the whole file (no line, or a line outside any field).
    pub record: Vec<Note>,
    /// Errors the change would bring into other files.
    pub elsewhere: Vec<Diagnostic>,
    /// Errors other files already have.
    pub old_elsewhere: usize,
    /// Whether the candidate must not be written.
    pub blocks: bool,
}

impl Placed {
    /// Errors in all.
    pub fn errors(&self) -> usize {
        self.fields.values().flatten().chain(&self.record).filter(|n| n.error).count() + self.elsewhere.len()
    }
}

fn note(d: &Diagnostic) -> Note {
    Note { error: d.is_error(), message: d.message.clone(), hint: d.hint.clone(), code: Some(d.code) }
}

/// Why an operation failed, for the page that says so.
#[derive(Debug)]
pub enum Failure {
    /// No such record, or no such entry of the bin.
    NotFound,
    /// The file changed on disk since the form was opened: its text now.
    Conflict {
        /// The file's text on disk now.
        disk: String,
        /// Its fingerprint.
        hash: u64,
    },
    /// The file cannot be edited with the form.
    Edit(EditError),
    /// The candidate has errors: nothing written.
    Rejected(Box<(Draft, Placed)>),
    /// Reading or writing failed.
    Store(StoreError),
    /// An upload was refused.
    Upload(UploadError),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Missing(_) => Failure::NotFound,
            e => Failure::Store(e),
        }
    }
}

/// Hexadecimal fingerprint of a file's bytes, as forms carry it.
pub fn hash_hex(bytes: &[u8]) -> String {
    format!("{:016x}", crate::fingerprint::of_bytes(bytes))
}

/// The name a new record's file takes: from its name fields.
fn name_of(kind: Kind, v: &Value) -> String {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").trim().to_string();
    let text = match kind {
        Kind::Member => {
            let r = s("raison_sociale");
            if r.is_empty() { format!("{} {}", s("prenom"), s("nom")) } else { r }
        }
        Kind::Resource => s("nom"),
        _ => s("titre"),
    };
    crate::domain::text::slugify(&text).chars().take(80).collect::<String>().trim_matches('-').to_string()
}

/// The form field that gives a new record its name, to point at when it is empty.
pub fn name_field(kind: Kind) -> &'static str {
    match kind {
        Kind::Member => "nom",
        Kind::Resource => "nom",
        _ => "titre",
    }
}

impl Editor {
    /// An editor whose content comes from [`Editor::sync`] and [`Editor::sync_files`] (the dev
    /// server's session).
    pub fn new(opts: EditorOptions, notify: Option<Notify>) -> Arc<Editor> {
        let guard = Guard::new(opts.password.clone());
        Arc::new(Editor {
            today: Mutex::new(opts.today),
            opts,
            guard,
            content: Mutex::new(Content::default()),
            recent: Mutex::new(VecDeque::new()),
            writing: Mutex::new(()),
            notify,
        })
    }

    /// The day checks and confirmations are made for.
    pub fn today(&self) -> Date {
        *lock(&self.today)
    }

    /// The dev server started a new day (at midnight, when the day follows the clock).
    pub fn new_day(&self, today: Date) {
        *lock(&self.today) = today;
    }

    /// An editor that reads the site itself (without a dev server).
    pub fn load(opts: EditorOptions) -> Arc<Editor> {
        let e = Editor::new(opts, None);
        *lock(&e.content) = Content::load(&e.opts.root);
        e
    }

    /// Takes the dev server's decoded files after a rebuild.
    pub fn sync<'a>(&self, files: impl Iterator<Item = (&'a str, u64, &'a DecodedFile)>) {
        lock(&self.content).sync(files);
    }

    /// Takes some of the dev server's decoded files after a rebuild: those at these paths (`None`:
    /// the session has none there), the others being as they were ([`Content::sync_files`]).
    pub fn sync_files<'a>(&self, files: impl IntoIterator<Item = (&'a str, Option<(u64, &'a DecodedFile)>)>) {
        lock(&self.content).sync_files(files);
    }

    /// The site as it is (for lists, schemas and links).
    pub fn site(&self) -> Option<Arc<Site>> {
        lock(&self.content).site()
    }

    /// The schema of a kind, with the site's own values.
    pub fn schema(&self, kind: Kind) -> Value {
        crate::schema::for_kind(kind, self.site().as_deref())
    }

    /// Records of a kind, in the order lists show them.
    pub fn records(&self, kind: Kind) -> Vec<Listed> {
        let mut content = lock(&self.content);
        let site = content.site();
        let mut out: Vec<(String, Listed)> = content
            .of_kind(kind.source_kind())
            .map(|(rel, d)| {
                let row = Listed {
                    rel: rel.to_string(),
                    title: super::content::title_of(rel, d),
                    detail: super::content::detail_of(d, site.as_deref()),
                    published: super::content::published(d),
                    broken: d.decoded.is_err(),
                };
                (super::content::sort_key_of(rel, d), row)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out.into_iter().map(|(_, row)| row).collect()
    }

    /// The file of record `slug` of `kind`, among the files the site has.
    pub fn find(&self, kind: Kind, slug: &str) -> Option<String> {
        let content = lock(&self.content);
        let found = content.of_kind(kind.source_kind()).map(|(rel, _)| rel).find(|rel| {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            name.rsplit_once('.').map_or(name, |(s, _)| s) == slug
        });
        found.map(str::to_string)
    }

    /// The slug of a file (its stem).
    pub fn slug_of(rel: &str) -> String {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
    }

    /// Reads a record's file: text (lossy only for display) and fingerprint.
    pub fn read(&self, rel: &str) -> Result<(String, String), Failure> {
        let bytes = store::read(&self.opts.root, rel)?;
        let hash = hash_hex(&bytes);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Ok((text, hash))
    }

    /// Why a record's file does not decode, if it does not.
    pub fn decode_error(&self, rel: &str) -> Option<Diagnostic> {
        lock(&self.content).get(rel).and_then(|d| d.decoded.as_ref().err().cloned())
    }

    /// A form turned into a candidate file: `base` is the file's text on disk (`None` for a new
    /// record).
    pub fn draft(&self, kind: Kind, rel: &str, base: Option<&str>, fields: &Fields) -> Result<Draft, EditError> {
        let schema = self.schema(kind);
        let sch = Schema::new(&schema);
        let mut file = match base {
            Some(t) => EditableFile::parse(t, kind.front_matter())?,
            None => EditableFile::empty(kind.front_matter()),
        };
        let original = base.map(|_| file.value().clone());
        let (value, index) = form::read(sch, fields, original.as_ref(), false);
        let order = |p: &[Step]| sch.key_order(p);
        file.set(&value, &order)?;
        // The body is written again only when its text changed (not its line endings, nor blank
        // lines at its ends, which a text area does not keep).
        let same = |a: &str, b: &str| body_text(a).trim_start_matches('\n') == body_text(b).trim_start_matches('\n');
        if kind.front_matter()
            && let Some(body) = fields.get("_corps")
            && !same(body, file.body().unwrap_or(""))
        {
            file.set_body(&body_text(body));
        }
        let text = file.text();
        Ok(Draft { kind, rel: rel.to_string(), value, index, text, file })
    }

    /// What `check` says of a candidate, placed at the form's fields (`shown`: the paths of the
    /// fields the form shows).
    pub fn place(&self, draft: &Draft, shown: &HashSet<String>) -> Placed {
        let change = Change::Write {
            rel: draft.rel.clone(),
            kind: draft.kind.source_kind(),
            within: within_of(&draft.rel),
            bytes: draft.text.as_bytes().to_vec(),
        };
        let verdict = lock(&self.content).verdict(&draft.rel, &change, self.today());
        self.placed(draft, verdict, shown)
    }

    fn placed(&self, draft: &Draft, verdict: Verdict, shown: &HashSet<String>) -> Placed {
        let mut p = Placed { blocks: verdict.blocks(), old_elsewhere: verdict.old_elsewhere, ..Placed::default() };
        let body_line = draft.file.body_line();
        for d in &verdict.here {
            if d.line == 0 {
                p.record.push(note(d));
                continue;
            }
            if body_line.is_some_and(|b| d.line >= b) {
                p.fields.entry("_corps".to_string()).or_default().push(note(d));
                continue;
            }
            let path = form::with_missing_key(draft.file.path_at(d.line), &d.message);
            let at = form::form_path(&path, &draft.index, shown);
            if at.is_empty() {
                p.record.push(note(d));
            } else {
                p.fields.entry(at).or_default().push(note(d));
            }
        }
        p.elsewhere = verdict.new_elsewhere;
        p
    }

    /// Whether a submission was already written; its result.
    pub fn already_done(&self, key: &str) -> Option<Done> {
        if key.is_empty() {
            return None;
        }
        let done = lock(&self.recent).iter().find(|(k, _)| k == key).map(|(_, d)| d.clone())?;
        // Still what was written: the same answer. Changed since: treat the post as new.
        let bytes = store::read(&self.opts.root, &done.rel).ok();
        let same = match bytes {
            Some(b) => crate::fingerprint::of_bytes(&b) == done.hash,
            None => done.hash == 0,
        };
        same.then_some(done)
    }

    fn remember(&self, key: &str, done: Done) {
        if key.is_empty() {
            return;
        }
        let mut recent = lock(&self.recent);
        recent.push_back((key.to_string(), done));
        while recent.len() > RECENT {
            recent.pop_front();
        }
    }

    fn changed(&self, rels: &[String]) {
        if let Some(notify) = &self.notify {
            notify(rels.iter().map(|r| self.opts.root.join(r)).collect());
        }
    }

    fn wrote(&self, rel: &str, bytes: Vec<u8>) {
        let kind = source_kind_of(rel);
        if let Some(kind) = kind {
            let within = within_of(rel);
            lock(&self.content).put_file(SourceFile { kind, rel: rel.to_string(), within, bytes });
        }
        self.changed(&[rel.to_string()]);
    }

    /// A file's bytes, when it is still the one a form was opened with (`hash`); else the
    /// conflict, with the file as it is now.
    fn unchanged_bytes(&self, rel: &str, hash: &str) -> Result<Vec<u8>, Failure> {
        let bytes = store::read(&self.opts.root, rel)?;
        if hash_hex(&bytes) != hash {
            return Err(Failure::Conflict {
                disk: String::from_utf8_lossy(&bytes).into_owned(),
                hash: crate::fingerprint::of_bytes(&bytes),
            });
        }
        Ok(bytes)
    }

    /// The same, as text.
    fn unchanged_text(&self, rel: &str, hash: &str) -> Result<String, Failure> {
        String::from_utf8(self.unchanged_bytes(rel, hash)?)
            .map_err(|_| Failure::Edit(EditError::Unreadable("le fichier n’est pas en UTF-8".into())))
    }

    /// Saves a form over an existing record, when the file is still the one the form was opened
    /// with (`hash`) and the candidate passes the checks. Returns the saved draft, or `None` when
    /// nothing changed.
    pub fn save(
        &self,
        kind: Kind,
        rel: &str,
        hash: &str,
        fields: &Fields,
        key: &str,
        location: &str,
    ) -> Result<Option<Draft>, Failure> {
        let _writing = lock(&self.writing);
        let text = self.unchanged_text(rel, hash)?;
        let draft = self.draft(kind, rel, Some(&text), fields).map_err(Failure::Edit)?;
        if draft.text == text {
            return Ok(None);
        }
        self.write_checked(draft, Some(fields), false, key, location).map(Some)
    }

    /// Saves a record's new value (not from a form: a publication switch), under the same
    /// conditions as a form.
    pub fn save_value(
        &self,
        kind: Kind,
        rel: &str,
        hash: &str,
        value: &Value,
        key: &str,
        location: &str,
    ) -> Result<Option<Draft>, Failure> {
        let _writing = lock(&self.writing);
        let text = self.unchanged_text(rel, hash)?;
        let schema = self.schema(kind);
        let sch = Schema::new(&schema);
        let mut file = EditableFile::parse(&text, kind.front_matter()).map_err(Failure::Edit)?;
        file.set(value, &|p: &[Step]| sch.key_order(p)).map_err(Failure::Edit)?;
        let draft =
            Draft { kind, rel: rel.to_string(), value: value.clone(), index: IndexMap::new(), text: file.text(), file };
        if draft.text == text {
            return Ok(None);
        }
        self.write_checked(draft, None, false, key, location).map(Some)
    }

    /// Writes a candidate when it passes the checks.
    /// `fields`: the form as posted, whose fields are where messages go.
    fn write_checked(
        &self,
        draft: Draft,
        fields: Option<&Fields>,
        fresh: bool,
        key: &str,
        location: &str,
    ) -> Result<Draft, Failure> {
        let schema = self.schema(draft.kind);
        let shown_value = match fields {
            Some(f) => form::read(Schema::new(&schema), f, None, true).0,
            None => draft.value.clone(),
        };
        let (_, shown) = form::render(Schema::new(&schema), &shown_value, &form::Context::default());
        let placed = self.place(&draft, &shown);
        if placed.blocks {
            return Err(Failure::Rejected(Box::new((draft, placed))));
        }
        store::write(&self.opts.root, &draft.rel, draft.text.as_bytes(), fresh)?;
        let hash = crate::fingerprint::of_bytes(draft.text.as_bytes());
        self.remember(key, Done { rel: draft.rel.clone(), hash, location: location.to_string() });
        self.wrote(&draft.rel, draft.text.as_bytes().to_vec());
        Ok(draft)
    }

    /// Saves a file's text as typed (text mode), under the same conditions as a form.
    pub fn save_text(
        &self,
        kind: Kind,
        rel: &str,
        hash: &str,
        text: &str,
        key: &str,
        location: &str,
    ) -> Result<Option<Placed>, Failure> {
        let _writing = lock(&self.writing);
        let bytes = self.unchanged_bytes(rel, hash)?;
        let text = keep_line_endings(text, &bytes);
        if text.as_bytes() == bytes.as_slice() {
            return Ok(None);
        }
        let placed = self.check_text(kind, rel, &text);
        if placed.blocks {
            return Ok(Some(placed));
        }
        store::write(&self.opts.root, rel, text.as_bytes(), false)?;
        let hash = crate::fingerprint::of_bytes(text.as_bytes());
        self.remember(key, Done { rel: rel.to_string(), hash, location: location.to_string() });
        self.wrote(rel, text.into_bytes());
        Ok(None)
    }

    /// What `check` says of a file's text (text mode): every message is for the whole file.
    pub fn check_text(&self, kind: Kind, rel: &str, text: &str) -> Placed {
        let sk = kind.source_kind();
        let change =
            Change::Write { rel: rel.to_string(), kind: sk, within: within_of(rel), bytes: text.as_bytes().to_vec() };
        let verdict = lock(&self.content).verdict(rel, &change, self.today());
        Placed {
            blocks: verdict.blocks(),
            record: verdict
                .here
                .iter()
                .map(|d| {
                    let mut n = note(d);
                    if d.line > 0 {
                        n.message = format!("ligne {}\u{a0}: {}", d.line, n.message);
                    }
                    n
                })
                .collect(),
            elsewhere: verdict.new_elsewhere,
            old_elsewhere: verdict.old_elsewhere,
            fields: BTreeMap::new(),
        }
    }

    /// Creates a record from a form; its file is named after it, never over another file.
    pub fn create(&self, kind: Kind, fields: &Fields, key: &str) -> Result<Draft, Failure> {
        let _writing = lock(&self.writing);
        let draft = self.draft(kind, &self.new_rel(kind, fields), None, fields).map_err(Failure::Edit)?;
        let location = format!("{}/{}/{}?enregistre", super::pages::BASE, kind.name(), Editor::slug_of(&draft.rel));
        self.write_checked(draft, Some(fields), true, key, &location)
    }

    /// The file a new record would get (a free name from its name fields).
    pub fn new_rel(&self, kind: Kind, fields: &Fields) -> String {
        let schema = self.schema(kind);
        let (value, _) = form::read(Schema::new(&schema), fields, None, false);
        let slug = name_of(kind, &value);
        let slug = if slug.is_empty() || store::is_reserved_name(&slug) { "nouveau".to_string() } else { slug };
        let ext = if kind.front_matter() { "md" } else { "yaml" };
        let taken = |rel: &str| lock(&self.content).get(rel).is_some() || self.opts.root.join(rel).exists();
        let mut rel = format!("{}/{slug}.{ext}", kind.folder());
        let mut n = 2;
        while taken(&rel) {
            rel = format!("{}/{slug}-{n}.{ext}", kind.folder());
            n += 1;
        }
        rel
    }

    /// The files that go to the bin with a record: a document's file goes with its description.
    fn files_of(&self, rel: &str) -> Vec<String> {
        let mut out = vec![rel.to_string()];
        let content = lock(&self.content);
        if let Some(DecodedFile { decoded: Ok(crate::model::Decoded::Document(d)), .. }) = content.get(rel) {
            let file = format!("content/documents/{}", d.data.fichier.value);
            let shared = content
                .of_kind(SourceKind::DocumentSidecar)
                .filter(|(r, _)| *r != rel)
                .any(|(_, o)| matches!(&o.decoded, Ok(crate::model::Decoded::Document(x)) if x.data.fichier.value == d.data.fichier.value));
            if !shared && content.get(&file).is_some() && store::is_content_path(&file) {
                out.push(file);
            }
        }
        out
    }

    /// Moves a record (and a document's file) to the bin, unless that breaks other records (an
    /// action naming this member…), or the file changed since the page was shown.
    pub fn delete(&self, rel: &str, hash: &str, stamp: &str, key: &str, location: &str) -> Result<String, Failure> {
        let _writing = lock(&self.writing);
        self.unchanged_bytes(rel, hash)?;
        let files = self.files_of(rel);
        let verdict = lock(&self.content).verdict(rel, &Change::Remove(files.clone()), self.today());
        if !verdict.new_elsewhere.is_empty() {
            return Err(Failure::Rejected(Box::new((
                Draft {
                    kind: Kind::Member,
                    rel: rel.to_string(),
                    value: Value::Null,
                    index: IndexMap::new(),
                    text: String::new(),
                    file: EditableFile::empty(false),
                },
                Placed { elsewhere: verdict.new_elsewhere, blocks: true, ..Placed::default() },
            ))));
        }
        let id = store::to_bin(&self.opts.root, &files, stamp, &Editor::slug_of(rel))?;
        lock(&self.content).remove(&files);
        self.remember(key, Done { rel: rel.to_string(), hash: 0, location: location.to_string() });
        self.changed(&files);
        Ok(id)
    }

    /// Puts an entry of the bin back; the files restored.
    pub fn restore(&self, id: &str) -> Result<Vec<String>, Failure> {
        let _writing = lock(&self.writing);
        let files = store::restore(&self.opts.root, id)?;
        for rel in &files {
            if let (Some(kind), Ok(bytes)) = (source_kind_of(rel), store::read(&self.opts.root, rel)) {
                let within = within_of(rel);
                lock(&self.content).put_file(SourceFile { kind, rel: rel.clone(), within, bytes });
            }
        }
        self.changed(&files);
        Ok(files)
    }

    /// Stores an upload; returns how a record names it.
    pub fn upload(&self, to: Destination, sent_name: &str, bytes: &[u8]) -> Result<String, Failure> {
        let kind = upload::accept(sent_name, bytes, to).map_err(Failure::Upload)?;
        let _writing = lock(&self.writing);
        let name = upload::safe_name(sent_name, kind);
        let root = &self.opts.root;
        let (name, fresh) =
            upload::free_name(&name, |n| store::read(root, &format!("{}/{n}", to.folder())).ok(), bytes);
        let rel = format!("{}/{name}", to.folder());
        if fresh {
            store::write(root, &rel, bytes, true)?;
            self.wrote(&rel, bytes.to_vec());
        }
        Ok(to.reference(&name))
    }
}

/// A Markdown body as a text area sends it: Windows line endings made plain, one final line end.
pub fn body_text(body: &str) -> String {
    let b = body.replace("\r\n", "\n");
    let trimmed = b.trim_end();
    if trimmed.is_empty() { String::new() } else { format!("{trimmed}\n") }
}

/// A text typed in a text area, with the line endings the file on disk uses.
fn keep_line_endings(text: &str, disk: &[u8]) -> String {
    let plain = text.replace("\r\n", "\n");
    if disk.windows(2).any(|w| w == b"\r\n") { plain.replace('\n', "\r\n") } else { plain }
}

/// The kind of a content path and its path within its kind's folder, as the load stage sees
/// them.
fn classified(rel: &str) -> Option<(SourceKind, String)> {
    crate::source::classify(rel.strip_prefix("content/")?)
}

fn source_kind_of(rel: &str) -> Option<SourceKind> {
    classified(rel).map(|(k, _)| k)
}

/// A file's path within its kind's folder.
fn within_of(rel: &str) -> String {
    classified(rel).map_or_else(|| rel.to_string(), |(_, w)| w)
}

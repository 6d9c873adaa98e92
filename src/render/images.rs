//! Images of the content (`image:` keys of actions, members, news, pages and `site.image`):
//! decoded once, resized into a few widths, encoded as WebP plus a fallback every browser reads
//! (JPEG for opaque images, PNG for images with transparency), under content-hashed names.
//!
//! Encoding is the slow part of a build, so [`ImageCache`] keeps the results in memory (for the
//! dev server's rebuilds) and on disk (for the next `maillage build`), keyed by the hash of the
//! source bytes and of the encoding settings.

use super::escape::escape_html;
use super::markdown::{MdImage, safe_link};
use super::text::typo;
use crate::diagnostic::Diagnostic;
use crate::model::{S, Site};
use crate::output::OutputFile;
use crate::routes::{Route, Urls};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, imageops::FilterType};
use minijinja::Value;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Widths produced for every image, in pixels, when the original is at least as wide.
pub const WIDTHS: [u32; 4] = [480, 800, 1200, 1600];
/// Largest image accepted, in pixels (width × height): decoding needs 4 bytes per pixel.
pub const MAX_PIXELS: u64 = 40_000_000;
/// Width of the social-network card image (`og:image`), or the widest variant below it.
pub const OG_WIDTH: u32 = 1200;
const JPEG_QUALITY: u8 = 80;
const WEBP_QUALITY: f32 = 75.0;
/// Everything that changes the bytes produced from a given source: part of every cache key
/// and of every public file name, so a change of settings never serves stale files.
const SETTINGS: &str = "maillage-images 1; widths 480 800 1200 1600; lanczos3; jpeg 80; webp 75 m4; png";
/// Where the disk cache lives, under the site root.
pub const CACHE_DIR: &str = ".maillage/cache/images";

/// An encoding of a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    /// Lossy WebP (with alpha when the image has transparency).
    Webp,
    /// JPEG: the fallback of opaque images.
    Jpeg,
    /// PNG: the fallback of images with transparency.
    Png,
}

impl Format {
    /// File extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }

    /// MIME type, for `<source type>` and `og:image:type`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
        }
    }
}

/// One resized, encoded copy of an image.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Encoding.
    pub format: Format,
    /// The encoded file.
    pub bytes: Arc<Vec<u8>>,
}

/// Every variant of one source image (what the caches keep).
#[derive(Debug, Clone)]
pub struct Encoded {
    /// Width of the original, once oriented.
    pub width: u32,
    /// Height of the original, once oriented.
    pub height: u32,
    /// Whether some pixel is not fully opaque (then the fallback is PNG).
    pub alpha: bool,
    /// WebP and fallback of each width, narrowest first.
    pub variants: Vec<Variant>,
    /// For an SVG image, its sanitised document, published as one file drawn at any size (and
    /// no variant).
    pub svg: Option<Arc<SvgImage>>,
}

impl Encoded {
    /// What an SVG image keeps in the caches' place: no variant, its document aside.
    fn svg(svg: SvgImage) -> Encoded {
        Encoded { width: 0, height: 0, alpha: false, variants: Vec::new(), svg: Some(Arc::new(svg)) }
    }

    /// The format of the fallback variants.
    pub fn fallback(&self) -> Format {
        if self.alpha { Format::Png } else { Format::Jpeg }
    }
}

/// A published image: its variants and the public name they share.
#[derive(Debug, Clone)]
pub struct Processed {
    /// File name stem, from the source's (`octobre-rose-2026`).
    pub stem: String,
    /// First 8 hex digits of the cache key, in every file name.
    pub hash8: String,
    /// The variants (none for an SVG: see [`Encoded::svg`]).
    pub encoded: Arc<Encoded>,
}

/// A sanitised SVG image ([`crate::domain::svg`]).
#[derive(Debug, Clone)]
pub struct SvgImage {
    /// The document published.
    pub text: String,
    /// Width in pixels, when the file says.
    pub width: Option<u32>,
    /// Height in pixels, when the file says.
    pub height: Option<u32>,
}

impl Processed {
    /// Route of one variant: `/images/<stem>-<hash8>-<width>.<ext>`.
    pub fn route(&self, v: &Variant) -> Route {
        Route::ProcessedImage(format!("{}-{}-{}.{}", self.stem, self.hash8, v.width, v.format.ext()))
    }

    /// Route of an SVG image: `/images/<stem>-<hash8>.svg`.
    pub fn svg_route(&self) -> Route {
        Route::ProcessedImage(format!("{}-{}.svg", self.stem, self.hash8))
    }

    fn of(&self, format: Format) -> impl Iterator<Item = &Variant> {
        self.encoded.variants.iter().filter(move |v| v.format == format)
    }

    /// The variant for social-network cards: the widest fallback up to [`OG_WIDTH`].
    pub fn og(&self) -> Option<&Variant> {
        let fallback = self.encoded.fallback();
        self.of(fallback).filter(|v| v.width <= OG_WIDTH).last().or_else(|| self.of(fallback).next())
    }

    fn srcset(&self, urls: &Urls, format: Format) -> String {
        self.of(format).map(|v| format!("{} {}w", urls.link(&self.route(v)), v.width)).collect::<Vec<_>>().join(", ")
    }

    /// What templates read, as `site.images[src]`.
    fn view(&self, urls: &Urls) -> PictureView {
        if let Some(svg) = &self.encoded.svg {
            return PictureView {
                width: svg.width.unwrap_or(0),
                height: svg.height.unwrap_or(0),
                src: urls.link(&self.svg_route()),
                srcset: String::new(),
                webp_srcset: String::new(),
                fallback_type: "image/svg+xml",
                svg: true,
                og: None,
            };
        }
        let fallback = self.encoded.fallback();
        let widest = self.of(fallback).last();
        // The `src` of browsers without srcset support: a middle width.
        let src = self.of(fallback).filter(|v| v.width <= 800).last().or(widest);
        PictureView {
            width: widest.map_or(0, |v| v.width),
            height: widest.map_or(0, |v| v.height),
            src: src.map(|v| urls.link(&self.route(v))).unwrap_or_default(),
            srcset: self.srcset(urls, fallback),
            webp_srcset: self.srcset(urls, Format::Webp),
            fallback_type: fallback.mime(),
            svg: false,
            og: self.og().map(|v| OgView {
                url: urls.absolute(&self.route(v)),
                width: v.width,
                height: v.height,
                mime: v.format.mime(),
            }),
        }
    }
}

/// An image as templates see it (`site.images[src]`).
#[derive(Debug, Serialize)]
pub struct PictureView {
    /// Width of the widest variant: the `width` attribute (the ratio is what matters).
    pub width: u32,
    /// Height of the widest variant: the `height` attribute.
    pub height: u32,
    /// Fallback variant for `<img src>`.
    pub src: String,
    /// `srcset` of the fallback variants.
    pub srcset: String,
    /// `srcset` of the WebP variants, for `<source type="image/webp">`.
    pub webp_srcset: String,
    /// MIME type of the fallback (`image/jpeg` or `image/png`; `image/svg+xml` for an SVG).
    pub fallback_type: &'static str,
    /// An SVG image: one file at `src`, no variants.
    pub svg: bool,
    /// The social-network card variant (none for an SVG: networks do not show them).
    pub og: Option<OgView>,
}

/// The `og:image` of a page.
#[derive(Debug, Serialize)]
pub struct OgView {
    /// Absolute URL.
    pub url: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// MIME type.
    pub mime: &'static str,
}

/// How many variants of a build came from where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImageStats {
    /// Distinct source images published.
    pub images: usize,
    /// Of them, encoded during this build.
    pub encoded: usize,
    /// Read back from the disk cache.
    pub from_disk: usize,
    /// Already in memory (the dev server's earlier rebuilds).
    pub from_memory: usize,
}

/// The images of a site, processed, by their `src` (path under `content/static/`).
#[derive(Debug, Clone, Default)]
pub struct Images {
    by_src: BTreeMap<String, Processed>,
    /// Where the variants came from.
    pub stats: ImageStats,
}

impl Images {
    /// The processed image of a `src`, when it was published and readable.
    pub fn get(&self, src: &str) -> Option<&Processed> {
        self.by_src.get(src)
    }

    /// The HTML of an image of a Markdown text (a path of `static/`): a `<picture>` of its
    /// variants (an `<img>` for an SVG), in its link when it is the whole of one (a video's
    /// poster, then labelled « Voir la vidéo »), in a figure with its title as caption when it
    /// stands alone in its paragraph. `None` when the image was not processed.
    pub fn markdown_html(&self, urls: &Urls, image: &MdImage) -> Option<String> {
        let view = self.get(crate::domain::markdown::local_path(&image.src))?.view(urls);
        const SIZES: &str = "(min-width: 50rem) 48rem, calc(100vw - 2rem)";
        let alt = escape_html(&typo(image.alt.trim()));
        let size = if view.width > 0 && view.height > 0 {
            format!(" width=\"{}\" height=\"{}\"", view.width, view.height)
        } else {
            String::new()
        };
        let img = if view.svg {
            format!(r#"<img src="{}"{size} alt="{alt}" loading="lazy" decoding="async">"#, escape_html(&view.src))
        } else {
            format!(
                r#"<picture><source type="image/webp" srcset="{}" sizes="{SIZES}"><img src="{}" srcset="{}" sizes="{SIZES}"{size} alt="{alt}" loading="lazy" decoding="async"></picture>"#,
                escape_html(&view.webp_srcset),
                escape_html(&view.src),
                escape_html(&view.srcset)
            )
        };
        let link = image.link.as_deref().filter(|l| safe_link(l));
        let inner = match (link, link.and_then(crate::domain::markdown::video_host)) {
            (Some(l), Some(host)) => format!(
                r#"<a class="video-link" href="{}" rel="noopener noreferrer">{img}<span class="video-label"><span aria-hidden="true">▶ </span>Voir la vidéo sur {}</span></a>"#,
                escape_html(l),
                escape_html(&host)
            ),
            (Some(l), None) => format!(r#"<a href="{}" rel="noopener noreferrer">{img}</a>"#, escape_html(l)),
            (None, _) => img,
        };
        Some(if image.block {
            let caption = image
                .title
                .as_deref()
                .map_or(String::new(), |t| format!("<figcaption>{}</figcaption>", escape_html(&typo(t))));
            format!(r#"<figure class="prose-image">{inner}{caption}</figure>"#)
        } else {
            inner
        })
    }

    /// Every variant file to write (one per route, however many `src` share the bytes).
    pub fn outputs(&self) -> Vec<OutputFile> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for p in self.by_src.values() {
            if let Some(svg) = &p.encoded.svg {
                let path = p.svg_route().output_path();
                if seen.insert(path.clone()) {
                    out.push(OutputFile { path, bytes: svg.text.clone().into_bytes() });
                }
            }
            for v in &p.encoded.variants {
                let path = p.route(v).output_path();
                if seen.insert(path.clone()) {
                    out.push(OutputFile { path, bytes: v.bytes.to_vec() });
                }
            }
        }
        out
    }

    /// `site.images` of the templates: a map from `src` to [`PictureView`].
    pub fn context(&self, urls: &Urls) -> Value {
        let map: BTreeMap<&str, PictureView> =
            self.by_src.iter().map(|(src, p)| (src.as_str(), p.view(urls))).collect();
        Value::from_serialize(&map)
    }
}

/// Why an image cannot be published.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ImageError {
    /// Not a JPEG, PNG, WebP or GIF file.
    #[error("format d’image non pris en charge")]
    Unsupported,
    /// The decoder failed: truncated or damaged file.
    #[error("image illisible (détail technique : {0})")]
    Corrupt(String),
    /// More than [`MAX_PIXELS`].
    #[error("image trop grande ({0} × {1} pixels)")]
    TooLarge(u32, u32),
    /// An encoder failed (should not happen with a decoded image).
    #[error("encodage impossible ({0})")]
    Encode(String),
}

type Memory = HashMap<u64, Result<Arc<Encoded>, ImageError>>;

/// Encoded images kept between builds: in memory for the life of the value, and on disk in a
/// folder (by default `<site>/.maillage/cache/images/`) for later processes.
#[derive(Debug, Default)]
pub struct ImageCache {
    dir: Option<PathBuf>,
    memory: Mutex<Memory>,
}

/// Where an image came from.
enum Origin {
    Memory,
    Disk,
    Encoded,
}

impl ImageCache {
    /// A cache keeping its files in `dir` (created when first written), or in memory only.
    pub fn new(dir: Option<PathBuf>) -> ImageCache {
        ImageCache { dir, memory: Mutex::default() }
    }

    /// The cache of a site: `<root>/.maillage/cache/images/`.
    pub fn for_site(root: &Path) -> ImageCache {
        ImageCache::new(Some(root.join(CACHE_DIR)))
    }

    fn remembered(&self, key: u64) -> Option<Result<Arc<Encoded>, ImageError>> {
        self.memory.lock().ok()?.get(&key).cloned()
    }

    fn remember(&self, key: u64, value: Result<Arc<Encoded>, ImageError>) {
        if let Ok(mut m) = self.memory.lock() {
            m.insert(key, value);
        }
    }

    /// The variants of `bytes`, from memory, from disk, or encoded now (and then stored).
    fn get(&self, bytes: &[u8]) -> (u64, Origin, Result<Arc<Encoded>, ImageError>) {
        let key = cache_key(bytes);
        if let Some(r) = self.remembered(key) {
            return (key, Origin::Memory, r);
        }
        if let Some(e) = self.dir.as_deref().and_then(|d| load(d, key)) {
            let e = Arc::new(e);
            self.remember(key, Ok(Arc::clone(&e)));
            return (key, Origin::Disk, Ok(e));
        }
        let r = crate::contained::contain(|| encode(bytes, MAX_PIXELS))
            .unwrap_or_else(|| Err(ImageError::Corrupt("le décodeur a échoué".into())))
            .map(Arc::new);
        if let (Ok(e), Some(dir)) = (&r, self.dir.as_deref()) {
            // Best effort: a read-only site still builds, it just encodes every time.
            let _ = store(dir, key, e);
        }
        self.remember(key, r.clone());
        (key, Origin::Encoded, r)
    }

    /// Forgets the entries whose key is not in `keep` (images no longer used): in memory, and on
    /// disk unless `memory_only`.
    fn prune(&self, keep: &BTreeSet<u64>, memory_only: bool) {
        if let Ok(mut m) = self.memory.lock() {
            m.retain(|k, _| keep.contains(k));
        }
        let Some(dir) = self.dir.as_deref().filter(|_| !memory_only) else { return };
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let name = e.file_name();
            let used = name
                .to_str()
                .and_then(|n| n.get(..16))
                .and_then(|k| u64::from_str_radix(k, 16).ok())
                .is_some_and(|k| keep.contains(&k));
            if !used {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Processes every image the published content names: `image:` keys, partners' logos, the
/// photos of testimonies published with consent, and the images of Markdown texts. Errors (unreadable, unsupported or too large files) point at each
/// place naming the image; missing files and missing alternative texts are the check stage's
/// (M043, M044).
pub fn process(site: &Site, cache: &ImageCache) -> (Images, Vec<Diagnostic>) {
    let mut uses: BTreeMap<String, Vec<(&str, S<String>)>> = BTreeMap::new();
    for (file, src) in image_uses(site) {
        uses.entry(src.value.clone()).or_default().push((file, src));
    }
    let assets: HashMap<&str, &[u8]> =
        site.assets.iter().filter(|a| !a.is_document).map(|a| (a.within.as_str(), a.bytes.as_slice())).collect();
    let results: Vec<_> = uses
        .par_iter()
        .filter_map(|(src, at)| {
            let bytes = assets.get(src.as_str())?;
            let result = if is_svg(src, bytes) {
                let key = cache_key(bytes);
                (key, Origin::Encoded, svg(bytes).map(|s| Arc::new(Encoded::svg(s))))
            } else {
                cache.get(bytes)
            };
            Some((src.as_str(), at, result))
        })
        .collect();

    let mut images = Images::default();
    let mut diagnostics = Vec::new();
    let mut keys = BTreeSet::new();
    for (src, at, (key, origin, result)) in results {
        keys.insert(key);
        match result {
            Ok(encoded) => {
                images.stats.images += 1;
                match origin {
                    Origin::Memory => images.stats.from_memory += 1,
                    Origin::Disk => images.stats.from_disk += 1,
                    Origin::Encoded => images.stats.encoded += 1,
                }
                let stem = src.rsplit('/').next().unwrap_or(src);
                let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
                let stem = crate::domain::text::slugify(stem);
                let processed = Processed {
                    stem: if stem.is_empty() { "image".to_string() } else { stem },
                    hash8: format!("{:08x}", key >> 32),
                    encoded,
                };
                images.by_src.insert(src.to_string(), processed);
            }
            Err(e) => diagnostics.extend(at.iter().map(|(file, span)| diagnostic(file, span, src, &e))),
        }
    }
    // When everything came from memory, the disk was pruned by an earlier run already.
    let all_in_memory = images.stats.images > 0 && images.stats.from_memory == images.stats.images;
    cache.prune(&keys, all_in_memory);
    (images, diagnostics)
}

/// Whether a file is an SVG image: by its name, or by its first characters.
fn is_svg(src: &str, bytes: &[u8]) -> bool {
    src.to_ascii_lowercase().ends_with(".svg") || {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
        head.trim_start_matches('\u{feff}').trim_start().starts_with('<') && head.contains("<svg")
    }
}

/// A sanitised SVG image ([`crate::domain::svg::sanitize`]; what it removes, `check` reports).
fn svg(bytes: &[u8]) -> Result<SvgImage, ImageError> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| ImageError::Corrupt("SVG qui n’est pas en UTF-8".into()))?;
    let clean = crate::domain::svg::sanitize(text).map_err(|e| ImageError::Corrupt(e.message))?;
    Ok(SvgImage { text: clean.svg, width: clean.width, height: clean.height })
}

/// Every image the published content names, with the file and place naming it: `image:` keys,
/// partners' logos, and the local images of Markdown texts.
fn image_uses(site: &Site) -> Vec<(&str, S<String>)> {
    let mut out: Vec<(&str, S<String>)> = Vec::new();
    let cpts = site.cpts.file.as_str();
    out.extend(site.cpts.data.site.image.iter().map(|i| (cpts, i.src.clone())));
    out.extend(site.cpts.data.partenaires.iter().filter_map(|p| p.logo.as_ref()).map(|i| (cpts, i.src.clone())));
    if let Some(inst) = &site.cpts.data.installation {
        out.extend(inst.published_testimonies().filter_map(|t| t.photo.as_ref()).map(|i| (cpts, i.src.clone())));
    }
    out.extend(site.members.iter().filter_map(|r| r.data.image.as_ref().map(|i| (r.file.as_str(), i.src.clone()))));
    for a in &site.actions {
        let f = a.file.as_str();
        out.extend(a.data.image.iter().map(|i| (f, i.src.clone())));
        out.extend(a.data.partenaires.iter().filter_map(|p| p.logo.as_ref()).map(|i| (f, i.src.clone())));
    }
    out.extend(site.news.iter().filter_map(|r| r.data.image.as_ref().map(|i| (r.file.as_str(), i.src.clone()))));
    out.extend(site.pages.iter().filter_map(|r| r.data.image.as_ref().map(|i| (r.file.as_str(), i.src.clone()))));
    for (file, body, first_line) in site.bodies() {
        if !body.contains("![") {
            continue;
        }
        for image in crate::domain::markdown::inspect(body).images {
            let src = crate::domain::markdown::local_path(&image.src).to_string();
            out.push((file, S { value: src, line: first_line + image.line - 1, column: 1 }));
        }
    }
    out
}

fn diagnostic(file: &str, at: &S<String>, src: &str, e: &ImageError) -> Diagnostic {
    let (line, col) = at.pos();
    let (code, hint) = match e {
        ImageError::TooLarge(..) => (
            "M063",
            "réduisez l’image à 4 000 pixels de large au plus avant de l’ajouter (au-delà de 40 millions de pixels, Maillage la refuse)",
        ),
        ImageError::Unsupported => (
            "M062",
            "enregistrez l’image en JPEG (photos) ou en PNG (dessins, logos) : Maillage lit les formats JPEG, PNG, WebP et GIF",
        ),
        ImageError::Corrupt(_) | ImageError::Encode(_) => (
            "M062",
            "le fichier est abîmé ou incomplet : ouvrez-le dans un logiciel d’images et enregistrez-le de nouveau en JPEG ou en PNG",
        ),
    };
    Diagnostic::error(code, file, line, col, format!("{e} : content/static/{src}")).with_hint(hint)
}

/// Hash of the settings then the bytes (FNV-1a, 64 bits): stable across builds, machines and
/// Rust versions, unlike the standard library's hasher.
fn cache_key(bytes: &[u8]) -> u64 {
    SETTINGS
        .as_bytes()
        .iter()
        .chain(bytes)
        .fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The widths produced from an original `width` pixels wide: the standard ones below it, and the
/// original itself when narrower than the widest (never upscaled; a standard width within 10 %
/// of the original is left out as a near duplicate).
pub fn variant_widths(width: u32) -> Vec<u32> {
    let widest = WIDTHS[WIDTHS.len() - 1];
    if width >= widest {
        return WIDTHS.to_vec();
    }
    let mut out: Vec<u32> = WIDTHS.iter().copied().filter(|&w| u64::from(w) * 10 < u64::from(width) * 9).collect();
    out.push(width);
    out
}

/// Height of the variant `w` pixels wide of a `width` × `height` original.
fn scaled_height(width: u32, height: u32, w: u32) -> u32 {
    let h = (u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width.max(1));
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}

/// Decodes, orients, resizes and encodes one image of at most `max_pixels` pixels
/// (the build uses [`MAX_PIXELS`]).
pub fn encode(bytes: &[u8], max_pixels: u64) -> Result<Encoded, ImageError> {
    let corrupt = |e: image::ImageError| ImageError::Corrupt(e.to_string());
    let reader = || -> Result<ImageReader<Cursor<&[u8]>>, ImageError> {
        let r = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| ImageError::Corrupt(e.to_string()))?;
        match r.format() {
            Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif) => Ok(r),
            _ => Err(ImageError::Unsupported),
        }
    };
    let (w, h) = reader()?.into_dimensions().map_err(corrupt)?;
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(ImageError::TooLarge(w, h));
    }
    let mut r = reader()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    limits.max_alloc = Some(max_pixels.saturating_mul(8));
    r.limits(limits);
    let mut decoder = r.into_decoder().map_err(corrupt)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    img.apply_orientation(orientation);
    let (width, height) = (img.width(), img.height());
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > max_pixels {
        return Err(ImageError::Corrupt("image vide".into()));
    }
    let alpha = img.color().has_alpha() && img.to_rgba8().pixels().any(|p| p[3] < 255);
    let img = if alpha { DynamicImage::ImageRgba8(img.to_rgba8()) } else { DynamicImage::ImageRgb8(img.to_rgb8()) };
    let variants: Result<Vec<Vec<Variant>>, ImageError> = variant_widths(width)
        .par_iter()
        .map(|&vw| {
            let vh = scaled_height(width, height, vw);
            let resized = if vw == width { img.clone() } else { img.resize_exact(vw, vh, FilterType::Lanczos3) };
            let webp = encode_webp(&resized)?;
            let fallback = if alpha { encode_png(&resized)? } else { encode_jpeg(&resized)? };
            let fallback_format = if alpha { Format::Png } else { Format::Jpeg };
            Ok(vec![
                Variant { width: vw, height: vh, format: Format::Webp, bytes: Arc::new(webp) },
                Variant { width: vw, height: vh, format: fallback_format, bytes: Arc::new(fallback) },
            ])
        })
        .collect();
    Ok(Encoded { width, height, alpha, variants: variants?.into_iter().flatten().collect(), svg: None })
}

fn encode_webp(img: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let failed = |e: String| ImageError::Encode(format!("WebP : {e}"));
    let encoder = match img {
        DynamicImage::ImageRgba8(b) => webp::Encoder::from_rgba(b.as_raw(), b.width(), b.height()),
        DynamicImage::ImageRgb8(b) => webp::Encoder::from_rgb(b.as_raw(), b.width(), b.height()),
        _ => return Err(failed("format de pixels inattendu".into())),
    };
    let mut config = webp::WebPConfig::new().map_err(|()| failed("configuration".into()))?;
    config.quality = WEBP_QUALITY;
    config.method = 4;
    config.alpha_compression = 1;
    encoder.encode_advanced(&config).map(|m| m.to_vec()).map_err(|e| failed(format!("{e:?}")))
}

fn encode_jpeg(img: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    img.write_with_encoder(encoder).map_err(|e| ImageError::Encode(format!("JPEG : {e}")))?;
    Ok(out)
}

fn encode_png(img: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
    let mut out = Vec::new();
    let encoder = PngEncoder::new_with_quality(&mut out, CompressionType::Best, PngFilter::Adaptive);
    img.write_with_encoder(encoder).map_err(|e| ImageError::Encode(format!("PNG : {e}")))?;
    Ok(out)
}

/// Disk cache layout: `<key>.meta` (`width height alpha`) and one file per variant,
/// `<key>-<width>.<ext>`, where `<key>` is the 16 hex digits of [`cache_key`].
fn variant_file(dir: &Path, key: u64, width: u32, format: Format) -> PathBuf {
    dir.join(format!("{key:016x}-{width}.{}", format.ext()))
}

fn meta_file(dir: &Path, key: u64) -> PathBuf {
    dir.join(format!("{key:016x}.meta"))
}

/// The cached variants of `key`, when every file is there.
fn load(dir: &Path, key: u64) -> Option<Encoded> {
    let meta = std::fs::read_to_string(meta_file(dir, key)).ok()?;
    let mut fields = meta.split_whitespace().map(str::parse::<u32>);
    let (width, height, alpha) = (fields.next()?.ok()?, fields.next()?.ok()?, fields.next()?.ok()? == 1);
    let fallback = if alpha { Format::Png } else { Format::Jpeg };
    let mut variants = Vec::new();
    for w in variant_widths(width) {
        for format in [Format::Webp, fallback] {
            let bytes = std::fs::read(variant_file(dir, key, w, format)).ok().filter(|b| !b.is_empty())?;
            variants.push(Variant {
                width: w,
                height: scaled_height(width, height, w),
                format,
                bytes: Arc::new(bytes),
            });
        }
    }
    Some(Encoded { width, height, alpha, variants, svg: None })
}

/// Writes the variants of `key`, each file atomically (written aside, then renamed), the
/// metadata last: a build running at the same time never reads half a file.
fn store(dir: &Path, key: u64, e: &Encoded) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let write = |path: PathBuf, bytes: &[u8]| -> std::io::Result<()> {
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    };
    for v in &e.variants {
        write(variant_file(dir, key, v.width, v.format), &v.bytes)?;
    }
    write(meta_file(dir, key), format!("{} {} {}\n", e.width, e.height, u8::from(e.alpha)).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(variant_widths(3000), vec![480, 800, 1200, 1600]);
        assert_eq!(variant_widths(1600), vec![480, 800, 1200, 1600]);
        assert_eq!(variant_widths(1000), vec![480, 800, 1000]);
        assert_eq!(variant_widths(850), vec![480, 850]);
        assert_eq!(variant_widths(300), vec![300]);
        assert_eq!(scaled_height(1600, 900, 800), 450);
        assert_eq!(scaled_height(3, 1, 1), 1);
    }
}

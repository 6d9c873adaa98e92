//! Sizes and encode times of each image format at each width the build makes, for the table in
//! docs/performance.md: the example's images and a synthetic photo.
//!
//! `cargo bench --bench image_formats` prints a Markdown table (sizes in Ko, times of one encode
//! on one core).

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use maillage::render::images;
use std::io::Cursor;

fn encoded(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap_or_else(|e| panic!("{e}"));
    out.into_inner()
}

/// A photo-like picture: smooth value noise over several octaves (light, shapes, texture).
fn textured(w: u32, h: u32) -> RgbImage {
    fn hash(x: i64, y: i64, octave: i64) -> f32 {
        let mut n =
            (x.wrapping_mul(374_761_393) ^ y.wrapping_mul(668_265_263) ^ octave.wrapping_mul(2_147_483_647)) as u64;
        n = (n ^ (n >> 13)).wrapping_mul(1_274_126_177);
        ((n >> 16) & 0xffff) as f32 / 65535.0
    }
    fn noise(x: f32, y: f32, octave: i64) -> f32 {
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let (sx, sy) = (fx * fx * (3.0 - 2.0 * fx), fy * fy * (3.0 - 2.0 * fy));
        let (x0, y0) = (x0 as i64, y0 as i64);
        let top = hash(x0, y0, octave) * (1.0 - sx) + hash(x0 + 1, y0, octave) * sx;
        let bottom = hash(x0, y0 + 1, octave) * (1.0 - sx) + hash(x0 + 1, y0 + 1, octave) * sx;
        top * (1.0 - sy) + bottom * sy
    }
    RgbImage::from_fn(w, h, |x, y| {
        let (u, v) = (x as f32 / 40.0, y as f32 / 40.0);
        let mut value = 0.0;
        let mut amplitude = 0.5;
        for octave in 0..6 {
            let scale = (1 << octave) as f32 / 8.0;
            value += amplitude * noise(u * scale, v * scale, octave);
            amplitude *= 0.55;
        }
        let light = 0.55 + 0.45 * (1.0 - y as f32 / h as f32);
        Rgb([
            (value * 255.0 * light) as u8,
            (value * 200.0 * light + 30.0) as u8,
            ((1.0 - value) * 160.0 * light + 40.0) as u8,
        ])
    })
}

fn main() {
    use image::imageops::FilterType;
    use std::time::Instant;
    let mut sources: Vec<(String, DynamicImage)> = std::fs::read_dir("content/static/images")
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| {
            let path = e.unwrap_or_else(|e| panic!("{e}")).path();
            if path.extension()? != "png" {
                return None;
            }
            Some((path.file_name()?.to_str()?.to_string(), image::open(&path).ok()?))
        })
        .collect();
    sources.sort_by(|a, b| a.0.cmp(&b.0));
    sources.push(("photo synthétique".into(), DynamicImage::ImageRgb8(textured(1600, 1067))));
    println!(
        "| image | largeur | JPEG q80 | WebP q75 | WebP sans perte | PNG | temps JPEG | temps WebP q75 | temps WebP sans perte |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (name, img) in &sources {
        for w in images::variant_widths(img.width()) {
            let h = (img.height() as u64 * w as u64 / img.width() as u64) as u32;
            let resized = img.resize_exact(w, h, FilterType::Lanczos3);
            let timed = |f: &dyn Fn() -> Vec<u8>| {
                let t = Instant::now();
                let bytes = f();
                (bytes.len(), t.elapsed().as_secs_f64() * 1000.0)
            };
            let rgb = DynamicImage::ImageRgb8(resized.to_rgb8());
            let (jpeg, tj) = timed(&|| {
                let mut out = Vec::new();
                rgb.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80))
                    .unwrap_or_else(|e| panic!("{e}"));
                out
            });
            let (lossy, tw) = timed(&|| {
                let b = rgb.as_rgb8().expect("an RGB image");
                webp::Encoder::from_rgb(b.as_raw(), w, h).encode(75.0).to_vec()
            });
            let (lossless, tl) = timed(&|| {
                let mut out = Vec::new();
                rgb.write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut out))
                    .unwrap_or_else(|e| panic!("{e}"));
                out
            });
            let (png, _) = timed(&|| encoded(rgb.clone(), ImageFormat::Png));
            let kb = |n: usize| format!("{:.1} Ko", n as f64 / 1024.0);
            println!(
                "| {name} | {w} | {} | {} | {} | {} | {tj:.0} ms | {tw:.0} ms | {tl:.0} ms |",
                kb(jpeg),
                kb(lossy),
                kb(lossless),
                kb(png)
            );
        }
    }
}

//! Lambert-93 (EPSG:2154) to WGS84 longitude and latitude, the inverse Lambert conformal conic
//! projection of IGN's note NT/G 71 (algorithms ALG0004 and ALG0001) on the GRS80 ellipsoid.
//!
//! RGF93, the datum of Lambert-93, agrees with WGS84 to a few centimetres: no datum shift is needed
//! for a map of health professionals.

/// First eccentricity of GRS80: `sqrt(2f - f²)` with `f = 1/298.257222101`.
const E: f64 = 0.081_819_191_042_815_8;
/// Exponent of the projection (`n`).
const N: f64 = 0.725_607_765_0;
/// Projection constant (`C`), in metres.
const C: f64 = 11_754_255.426;
/// False easting of the pole (`Xs`), in metres.
const XS: f64 = 700_000.0;
/// Northing of the pole (`Ys`), in metres.
const YS: f64 = 12_655_612.050;
/// Central meridian: 3° east of Greenwich.
const LAMBDA0: f64 = 3.0;

/// Converts Lambert-93 metres `(x, y)` to WGS84 `[latitude, longitude]` in degrees, the order
/// content files use for `coordonnees`.
pub fn to_wgs84(x: f64, y: f64) -> [f64; 2] {
    let dx = x - XS;
    let dy = YS - y;
    let r = (dx * dx + dy * dy).sqrt();
    let gamma = dx.atan2(dy);
    let lambda = LAMBDA0.to_radians() + gamma / N;
    // Isometric latitude, then the latitude by fixed-point iteration (ALG0001).
    let iso = -(r / C).ln() / N;
    let mut phi = 2.0 * iso.exp().atan() - std::f64::consts::FRAC_PI_2;
    for _ in 0..20 {
        let s = E * phi.sin();
        let next = 2.0 * (((1.0 + s) / (1.0 - s)).powf(E / 2.0) * iso.exp()).atan() - std::f64::consts::FRAC_PI_2;
        let done = (next - phi).abs() < 1e-12;
        phi = next;
        if done {
            break;
        }
    }
    [phi.to_degrees(), lambda.to_degrees()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Isometric latitude on GRS80.
    fn isometric(phi: f64) -> f64 {
        let s = E * phi.sin();
        ((std::f64::consts::FRAC_PI_4 + phi / 2.0).tan() * ((1.0 - s) / (1.0 + s)).powf(E / 2.0)).ln()
    }

    /// Forward projection, written independently from the constants' definition.
    fn forward(lat: f64, lon: f64) -> (f64, f64) {
        let r = C * (-N * isometric(lat.to_radians())).exp();
        let g = N * (lon - LAMBDA0).to_radians();
        (XS + r * g.sin(), YS - r * g.cos())
    }

    #[test]
    fn constants_follow_from_grs80_and_the_standard_parallels() {
        let a = 6_378_137.0_f64;
        let f = 1.0 / 298.257_222_101_f64;
        assert!((E - (2.0 * f - f * f).sqrt()).abs() < 1e-15);
        let (p1, p2, p0) = (44.0_f64.to_radians(), 49.0_f64.to_radians(), 46.5_f64.to_radians());
        let w = |p: f64| (1.0 - E * E * p.sin().powi(2)).sqrt();
        let big_n = |p: f64| a / w(p);
        let n = ((big_n(p2) * p2.cos()).ln() - (big_n(p1) * p1.cos()).ln()) / (isometric(p1) - isometric(p2));
        assert!((n - N).abs() < 1e-10, "n = {n}");
        let c = big_n(p1) * p1.cos() / n * (n * isometric(p1)).exp();
        assert!((c - C).abs() < 1e-3, "C = {c}");
        let ys = 6_600_000.0 + c * (-n * isometric(p0)).exp();
        assert!((ys - YS).abs() < 1e-3, "Ys = {ys}");
    }

    #[test]
    fn the_origin_is_46_5_north_3_east() {
        let [lat, lon] = to_wgs84(700_000.0, 6_600_000.0);
        assert!((lat - 46.5).abs() < 1e-8 && (lon - 3.0).abs() < 1e-9, "{lat} {lon}");
    }

    #[test]
    fn matches_a_published_conversion() {
        // Published example (pyproj, EPSG:2154 → EPSG:4326): a point in Haute-Savoie.
        let [lat, lon] = to_wgs84(882_408.3, 6_543_019.6);
        assert!((lat - 45.962_401_654).abs() < 1e-7, "{lat}");
        assert!((lon - 5.355_651_288).abs() < 1e-7, "{lon}");
    }

    #[test]
    fn round_trips_across_the_mainland_and_corsica() {
        for (lat, lon) in [(43.4269, 6.4317), (48.8583, 2.2945), (42.6977, 9.4503), (50.95, 1.85), (43.30, -1.50)] {
            let (x, y) = forward(lat, lon);
            let [la, lo] = to_wgs84(x, y);
            assert!((la - lat).abs() < 1e-9 && (lo - lon).abs() < 1e-9, "{lat},{lon} → {x},{y} → {la},{lo}");
        }
    }
}

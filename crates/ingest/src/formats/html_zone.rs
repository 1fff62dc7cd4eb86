//! The UTC offset a site most likely prints its days in, from its country
//! (the host's top-level domain, else the region or language of `<html lang>`).
//! A CMS often writes its stamps in UTC (`2022-11-06T23:00:00Z`) while the page
//! shows the reader's local day (7 November in Berlin); the offset turns one
//! into the other. Daylight saving is approximated by month (April–October in
//! the northern countries that keep it), which is right away from the switch
//! weekends.

use chrono::{Datelike, NaiveDate};

/// Standard offset in minutes and whether the country keeps northern summer time.
fn by_country(code: &str) -> Option<(i32, bool)> {
    let c = match code {
        "de" | "at" | "ch" | "fr" | "it" | "es" | "nl" | "be" | "lu" | "pl" | "cz" | "sk"
        | "hu" | "si" | "hr" | "dk" | "se" | "no" | "rs" | "ba" | "mt" | "li" => (60, true),
        "uk" | "gb" | "ie" | "pt" => (0, true),
        "fi" | "ee" | "lv" | "lt" | "gr" | "ro" | "bg" | "ua" | "cy" => (120, true),
        "ru" | "by" | "tr" => (180, false),
        "in" => (330, false),
        "cn" | "hk" | "tw" | "sg" | "my" | "ph" => (480, false),
        "jp" | "kr" => (540, false),
        "br" | "ar" | "uy" => (-180, false),
        "bo" | "ve" | "py" | "cl" => (-240, false),
        "co" | "pe" | "ec" | "pa" => (-300, false),
        "mx" | "gt" | "sv" | "hn" | "ni" | "cr" => (-360, false),
        "us" | "ca" => (-300, true),
        _ => return None,
    };
    Some(c)
}

/// Languages spoken in one time zone band (or nearly).
fn by_language(lang: &str) -> Option<(i32, bool)> {
    match lang {
        "de" | "fr" | "it" | "nl" | "pl" | "cs" | "sk" | "hu" | "sl" | "hr" | "da" | "sv"
        | "nb" | "nn" => by_country("de"),
        "fi" | "el" | "ro" | "bg" | "uk" | "et" | "lv" | "lt" => by_country("fi"),
        "tr" => by_country("tr"),
        "ja" => by_country("jp"),
        "ko" => by_country("kr"),
        _ => None,
    }
}

/// The site's likely (standard offset, keeps summer time), from its URL's
/// country domain or its `<html lang>` (`es-CO` by region, `de` by language).
pub fn site_zone(url: Option<&str>, html_lang: Option<&str>) -> Option<(i32, bool)> {
    let tld = url
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .and_then(|h| h.rsplit('.').next().map(str::to_string));
    if let Some(z) = tld.as_deref().and_then(by_country) {
        return Some(z);
    }
    let lang = html_lang?.trim().to_ascii_lowercase().replace('_', "-");
    let mut parts = lang.split('-');
    let language = parts.next().unwrap_or("");
    if let Some(region) = parts.next().filter(|r| r.len() == 2) {
        if let Some(z) = by_country(region) {
            return Some(z);
        }
    }
    by_language(language)
}

/// The offset in minutes on `day` for a zone from `site_zone`.
pub fn offset_on(zone: (i32, bool), day: NaiveDate) -> i32 {
    let (standard, summer) = zone;
    if summer && (4..=10).contains(&day.month()) {
        standard + 60
    } else {
        standard
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_domain_then_language_region_then_language() {
        assert_eq!(
            site_zone(Some("https://www.example.de/a"), Some("en")),
            Some((60, true))
        );
        assert_eq!(
            site_zone(Some("https://news.example.com/a"), Some("es-CO")),
            Some((-300, false))
        );
        assert_eq!(
            site_zone(Some("https://news.example.com/a"), Some("de")),
            Some((60, true))
        );
        assert_eq!(
            site_zone(Some("https://news.example.com/a"), Some("es")),
            None
        );
        assert_eq!(site_zone(None, None), None);
    }

    #[test]
    fn summer_time_by_month() {
        let z = (60, true);
        let d = |m| NaiveDate::from_ymd_opt(2022, m, 15).unwrap_or_default();
        assert_eq!(offset_on(z, d(1)), 60);
        assert_eq!(offset_on(z, d(7)), 120);
        assert_eq!(offset_on((-240, false), d(7)), -240);
    }
}

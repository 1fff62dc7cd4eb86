//! Number phrases in tokens: digits with separators ("280,000", "1.5 million"),
//! number words ("twenty-five", "three hundred"), vague counts ("dozens", "hundreds")
//! and fractions ("a fifth of"). Malformed digit strings ("2.5.3") are not numbers.

/// Value of a cardinal word below a hundred ("seven", "forty", "forty-two").
pub fn cardinal_word(w: &str) -> Option<f64> {
    const SMALL: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = SMALL.iter().position(|&s| s == w) {
        return Some(i as f64);
    }
    if let Some(i) = TENS.iter().position(|&s| s == w) {
        return Some(20.0 + 10.0 * i as f64);
    }
    let (a, b) = w.split_once('-')?;
    let (x, y) = (cardinal_word(a)?, cardinal_word(b)?);
    (x >= 20.0 && y < 10.0).then_some(x + y)
}

/// Value of one number word, and whether it multiplies what precedes it.
fn word_value(w: &str) -> Option<(f64, bool)> {
    if let Some(v) = cardinal_word(w) {
        return Some((v, false));
    }
    if w.contains('-') {
        return None;
    }
    match w {
        "hundred" => Some((100.0, true)),
        "thousand" => Some((1e3, true)),
        "million" | "mln" | "m" => Some((1e6, true)),
        "billion" | "bn" => Some((1e9, true)),
        "dozen" => Some((12.0, false)),
        _ => None,
    }
}

/// The factor of a multiplier word ("million" → 1e6), if it is one.
pub fn multiplier(w: &str) -> Option<f64> {
    match word_value(w) {
        Some((m, true)) => Some(m),
        _ => None,
    }
}

/// Lower bounds for vague plurals ("dozens of" is at least 24).
pub fn vague_value(w: &str) -> Option<f64> {
    match w {
        "dozens" => Some(24.0),
        "scores" => Some(40.0),
        "hundreds" => Some(200.0),
        "thousands" | "tens-of-thousands" => Some(2000.0),
        "millions" => Some(2e6),
        _ => None,
    }
}

pub fn fraction_value(w: &str) -> Option<f64> {
    match w {
        "half" => Some(0.5),
        "third" => Some(1.0 / 3.0),
        "quarter" | "fourth" => Some(0.25),
        "fifth" => Some(0.2),
        "tenth" => Some(0.1),
        "two-thirds" => Some(2.0 / 3.0),
        "three-quarters" => Some(0.75),
        _ => None,
    }
}

/// "280,000", "1,00,000", "2.5", "62" → value; "2.5.3", "1:07", "G20" → None.
pub fn digits_value(s: &str) -> Option<f64> {
    if s.is_empty() || !s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    if s.matches('.').count() > 1 || s.ends_with([',', '.']) || s.contains(",,") {
        return None;
    }
    let clean: String = s.chars().filter(|&c| c != ',').collect();
    clean.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Reads a number phrase from lowercase words starting at `i`; returns the value,
/// how many words it used, and whether the digits were written as a 4-digit
/// integer without separators (a possible year).
pub fn read_number(words: &[&str], i: usize) -> Option<(f64, usize, bool)> {
    let first = *words.get(i)?;
    let (mut value, mut used, mut year_shape) = if let Some(v) = digits_value(first) {
        let plain4 = first.len() == 4 && first.chars().all(|c| c.is_ascii_digit());
        (v, 1, plain4)
    } else if let Some((v, mult)) = word_value(first) {
        if mult {
            return None; // "hundred" alone
        }
        (v, 1, false)
    } else if let Some(v) = vague_value(first) {
        return Some((v, 1, false));
    } else {
        return None;
    };
    // "Twenty-six" split by the tokenizer into "twenty", "-", "six".
    if (20.0..100.0).contains(&value)
        && digits_value(first).is_none()
        && words.get(i + 1) == Some(&"-")
    {
        if let Some((unit, false)) = words.get(i + 2).and_then(|w| word_value(w)) {
            if (1.0..10.0).contains(&unit) {
                value += unit;
                used += 2;
            }
        }
    }
    // Multipliers and additive word parts: "1.5 million", "three hundred and six".
    while let Some(&w) = words.get(i + used) {
        if let Some((m, true)) = word_value(w) {
            value *= m;
            used += 1;
            year_shape = false;
        } else if let Some((a, false)) = word_value(w) {
            if value >= 100.0 && a < 100.0 && digits_value(first).is_none() {
                value += a;
                used += 1;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    Some((value, used, year_shape))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_words() {
        assert_eq!(digits_value("280,000"), Some(280000.0));
        assert_eq!(digits_value("1,00,000"), Some(100000.0));
        assert_eq!(digits_value("2.5.3"), None);
        assert_eq!(digits_value("1:07"), None);
        assert_eq!(
            read_number(&["1.5", "million", "people"], 0),
            Some((1.5e6, 2, false))
        );
        assert_eq!(
            read_number(&["twenty-five", "people"], 0),
            Some((25.0, 1, false))
        );
        assert_eq!(
            read_number(&["three", "hundred"], 0),
            Some((300.0, 2, false))
        );
        assert_eq!(read_number(&["2011"], 0), Some((2011.0, 1, true)));
        assert_eq!(read_number(&["dozens", "of"], 0), Some((24.0, 1, false)));
        assert_eq!(read_number(&["hundred"], 0), None);
        assert_eq!(
            read_number(&["twenty", "-", "six", "civilians"], 0),
            Some((26.0, 3, false))
        );
        assert_eq!(
            read_number(&["twenty", "-", "year"], 0),
            Some((20.0, 1, false))
        );
    }
}

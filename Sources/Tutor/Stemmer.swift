/// Reduces a normalized word to a stem so that forms of one word match (`scatters`, `scattering` -> `scatter`).
///
/// Stems are match keys, not words: `battery` and `batteries` both become `batteri`.
public enum Stemmer {
    /// The stem of `word` in `language`; words of languages without rules are returned unchanged.
    public static func stem(_ word: String, language: String) -> String {
        switch language {
        case "en": return english(word)
        case "sw": return swahili(word)
        default: return word
        }
    }

    /// English: a few suffix rules in the spirit of Porter's first steps, applied once each, in this order.
    ///
    /// 1. Plurals: `sses` -> `ss`, `ies` -> `i`, and a final `s` after anything but `s`, `u` or `i` is dropped.
    /// 2. `ing`, `ed`, `ly` are dropped when what remains has a vowel and 3 or more letters; a doubled final
    ///    consonant left behind is undoubled (`running` -> `run`), except `l`, `s`, `z` (`falling` -> `fall`).
    /// 3. A final `y` after a consonant becomes `i` (`battery` -> `batteri`), and a final `e` is dropped from words
    ///    of 4 or more letters (`moves`, `move`, `moving` -> `mov`).
    /// Words of 3 letters or fewer are never changed.
    public static func english(_ word: String) -> String {
        var w = Array(word)
        guard w.count > 3 else { return word }
        func ends(_ suffix: String) -> Bool { w.count > suffix.count && w.suffix(suffix.count) == Array(suffix) }
        func hasVowel(_ letters: ArraySlice<Character>) -> Bool {
            letters.contains { "aeiouy".contains($0) }
        }
        // Step 1: plurals.
        if ends("sses") {
            w.removeLast(2)
        } else if ends("ies") {
            w.removeLast(2)
        } else if ends("s"), !ends("ss"), !ends("us"), !ends("is") {
            w.removeLast()
        }
        // Step 2: -ing, -ed, -ly.
        for suffix in ["ing", "ed", "ly"] where ends(suffix) {
            let rest = w.dropLast(suffix.count)
            guard rest.count >= 3, hasVowel(rest) else { break }
            w = Array(rest)
            if suffix != "ly", let last = w.last, w.count >= 2, w[w.count - 2] == last,
                !"aeiouylsz".contains(last)
            {
                w.removeLast()
            }
            break
        }
        // Step 3: final y and e.
        if w.count > 3, w.last == "y", !"aeiou".contains(w[w.count - 2]) {
            w[w.count - 1] = "i"
        }
        if w.count >= 4, w.last == "e" {
            w.removeLast()
        }
        return String(w)
    }

    /// Subject-and-tense prefixes stripped from Swahili verbs, longest first (`inaonekana` -> `onekana`).
    static let swahiliVerbPrefixes: [String] = [
        "tunga", "zinge", "inge", "unge", "ange", "kinge",
        "ninga", "kina", "vina", "lina", "zina", "yana", "wana", "tuna", "mna", "ina", "una", "ana",
        "kime", "vime", "lime", "zime", "yame", "wame", "tume", "ime", "ume", "ame",
        "kili", "vili", "lili", "zili", "yali", "wali", "tuli", "ili", "uli", "ali",
        "kita", "vita", "lita", "zita", "yata", "wata", "tuta", "ita", "uta", "ata",
        "hu",
    ]

    /// Swahili: strip one subject-and-tense prefix, the final vowel, and a passive `w`, leaving a rough root.
    ///
    /// 1. One prefix from `swahiliVerbPrefixes` (longest first), only when 4 or more letters remain
    ///    (`hutawanya` -> `tawanya`, `kinafanya` -> `fanya`; `hewa` stays).
    /// 2. Plural noun-class prefixes become singular where the pair is regular: `vi` + consonant -> `ki` + consonant
    ///    (`vitu` -> `kitu`), `mi` + consonant -> `m` + consonant (`miti` -> `mti`).
    /// 3. The final vowel of a word of 5 or more letters is dropped (`tawanya` -> `tawany`, `tawanyw`), and then a
    ///    passive `w` after a consonant (`tawanyw` -> `tawany`).
    /// `m`/`wa` and `ki`/`ch` classes are not merged: `mwanga` (light) would collide with `anga` (sky).
    public static func swahili(_ word: String) -> String {
        var w = word
        for prefix in swahiliVerbPrefixes where w.hasPrefix(prefix) && w.count - prefix.count >= 4 {
            w = String(w.dropFirst(prefix.count))
            break
        }
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        let letters = Array(w)
        if letters.count >= 4, !vowels.contains(letters[2]) {
            if letters[0] == "v", letters[1] == "i" {
                w = "k" + String(letters.dropFirst())
            } else if letters[0] == "m", letters[1] == "i" {
                w = "m" + String(letters.dropFirst(2))
            }
        }
        var chars = Array(w)
        if chars.count >= 5, let last = chars.last, vowels.contains(last) {
            chars.removeLast()
            if chars.count >= 5, chars.last == "w", !vowels.contains(chars[chars.count - 2]) {
                chars.removeLast()
            }
        }
        return String(chars)
    }
}

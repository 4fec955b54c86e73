/// Yoruba numbers and units. 1-20 and the tens to 100 are the traditional words (ogún, ọgbọ̀n, ogójì, ...); other
/// numbers below 100 count on from a ten (ọ̀kàn-lé-l-ogún) or back from the next (ẹ̀rìn-dín-l-ọgbọ̀n); hundreds and
/// thousands are counted with the adjective forms (ọgọ́rùn-ún mẹ́ta) and joined with àti, the way numbers are read
/// in school, not the traditional vigesimal forms. Tone-marked, so the voice speaks their tones. The combined
/// forms are built without their tone changes (ọ̀kànlélógún is written ọ̀kànlélogún): awaiting a native speaker's
/// review.
extension SpokenForms {
    static let yoruba = SpokenForms(
        point: "ààmì", minus: "àyọkúrò", rangeTo: "sí", timesTenToThe: "ìlọ́po ẹ̀wá ní agbára", tenToThe: "ẹ̀wá ní agbára",
        units: [
            "m/s²": ("mítà", "ní ìṣẹ́jú-àáyá kan ní ìṣẹ́jú-àáyá kan"),
            "m/s^2": ("mítà", "ní ìṣẹ́jú-àáyá kan ní ìṣẹ́jú-àáyá kan"), "km/h": ("kìlómítà", "ní wákàtí kan"),
            "m/s": ("mítà", "ní ìṣẹ́jú-àáyá kan"), "°C": ("dígírì", "sẹ́ńtígíréèdì"), "°F": ("dígírì", "fáránháìtì"),
            "kHz": ("kìlóhẹ́ẹ̀tì", ""), "Hz": ("hẹ́ẹ̀tì", ""), "kg": ("kìlógíráàmù", ""), "km": ("kìlómítà", ""),
            "cm": ("sẹ̀ntímítà", ""), "mm": ("mìlímítà", ""), "kJ": ("kìlójúùlù", ""), "kW": ("kìlówáàtì", ""),
            "min": ("ìṣẹ́jú", ""), "%": ("ìdá", "nínú ọgọ́rùn-ún"), "°": ("dígírì", ""), "m": ("mítà", ""),
            "g": ("gíráàmù", ""), "N": ("newtọ̀nù", ""), "J": ("júùlù", ""), "W": ("wáàtì", ""), "V": ("fóòtì", ""),
            "A": ("ámpíà", ""), "s": ("ìṣẹ́jú-àáyá", ""), "h": ("wákàtí", ""),
        ],
        symbols: [
            "=": "dọ́gba", "+": "àti", "×": "ìlọ́po", "&": "àti", "≈": "fẹ́rẹ̀ẹ́ tó", "<": "kéré ju", ">": "tóbi ju",
            "÷": "pín sí",
        ],
        abbreviations: ["àp.": ("àpẹẹrẹ", false), "dr.": ("dókítà", false)],
        cardinal: YorubaNumbers.cardinal, counted: { value, _ in YorubaNumbers.counting(value) })
}

enum YorubaNumbers {
    static let ones = [
        "òdo", "ọ̀kan", "èjì", "ẹ̀ta", "ẹ̀rin", "àrún", "ẹ̀fà", "èje", "ẹ̀jọ", "ẹ̀sán", "ẹ̀wá", "ọ̀kànlá", "èjìlá", "ẹ̀tàlá",
        "ẹ̀rìnlá", "ẹ̀ẹ́dógún", "ẹ̀rìndínlógún", "ẹ̀tàdínlógún", "èjìdínlógún", "ọ̀kàndínlógún",
    ]
    /// The tens 20-100.
    static let tens = [
        "", "ẹ̀wá", "ogún", "ọgbọ̀n", "ogójì", "àádọ́ta", "ọgọ́ta", "àádọ́rin", "ọgọ́rin", "àádọ́rùn-ún", "ọgọ́rùn-ún",
    ]
    /// Forms that count on or back from a ten: ọ̀kàn-, èjì-, ẹ̀tà-, ẹ̀rìn-, àrùn-.
    static let combining = ["", "ọ̀kàn", "èjì", "ẹ̀tà", "ẹ̀rìn", "àrùn"]
    /// After a noun: mítà mẹ́ta.
    static let adjectives = [
        "", "kan", "méjì", "mẹ́ta", "mẹ́rin", "márùn-ún", "mẹ́fà", "méje", "mẹ́jọ", "mẹ́sàn-án", "mẹ́wàá",
    ]

    /// A number counting a noun: the adjective forms to ten, the counting words after.
    static func counting(_ value: UInt64) -> String {
        (1...10).contains(value) ? adjectives[Int(value)] : cardinal(value)
    }

    /// A whole number, as counted.
    static func cardinal(_ value: UInt64) -> String {
        if value < 20 { return ones[Int(value)] }
        if value <= 100 {
            let (ten, unit) = (Int(value / 10), Int(value % 10))
            if unit == 0 { return tens[ten] }
            if unit <= 4 { return combining[unit] + "lél" + tens[ten] }
            return combining[10 - unit] + "dínl" + tens[ten + 1]
        }
        let (parts, rest) = NumberWords.parts(value, scales: [1_000_000, 1000, 100])
        var components: [String] = []
        for (multiplier, scale) in parts {
            let name = [1_000_000: "mílíọ̀nù", 1000: "ẹgbẹ̀rún", 100: "ọgọ́rùn-ún"][scale]!
            components.append(multiplier == 1 ? name : name + " " + counting(multiplier))
        }
        if rest > 0 { components.append(cardinal(rest)) }
        return components.joined(separator: " àti ")
    }
}

/// Hausa numbers and units: decimal, tens from Arabic (ashirin, talatin), parts joined with da, teens with sha
/// (goma sha ɗaya); a unit's noun comes first (mita biyar). Written without tone marks, so every syllable of these
/// words takes the unmarked (high) tone: the curated text marks tone where it matters. Awaiting a native speaker's
/// review, tones first.
extension SpokenForms {
    static let hausa = SpokenForms(
        point: "digo", minus: "debe", rangeTo: "zuwa", timesTenToThe: "sau goma a ƙarfi na",
        tenToThe: "goma a ƙarfi na",
        units: [
            "m/s²": ("mita", "a kowace daƙiƙa murabba'i"), "m/s^2": ("mita", "a kowace daƙiƙa murabba'i"),
            "km/h": ("kilomita", "a kowace awa"), "m/s": ("mita", "a kowace daƙiƙa"), "°C": ("digiri", "na selshiyas"),
            "°F": ("digiri", "na farenhayit"), "kHz": ("kilohaz", ""), "Hz": ("haz", ""), "kg": ("kilogiram", ""),
            "km": ("kilomita", ""), "cm": ("santimita", ""), "mm": ("milimita", ""), "kJ": ("kilojul", ""),
            "kW": ("kilowat", ""), "min": ("minti", ""), "%": ("kashi", ""), "°": ("digiri", ""), "m": ("mita", ""),
            "g": ("giram", ""), "N": ("niyutan", ""), "J": ("jul", ""), "W": ("wat", ""), "V": ("bolt", ""),
            "A": ("ampiya", ""), "s": ("daƙiƙa", ""), "h": ("awa", ""),
        ],
        symbols: [
            "=": "daidai da", "+": "tare da", "×": "sau", "&": "da", "≈": "kusan", "<": "ya ƙasa da", ">": "ya fi",
            "÷": "raba da",
        ],
        abbreviations: ["m.s.": ("misali", false), "dr.": ("dakta", false)],
        cardinal: HausaNumbers.cardinal, counted: { value, _ in HausaNumbers.cardinal(value) })
}

enum HausaNumbers {
    static let ones = ["sifiri", "ɗaya", "biyu", "uku", "huɗu", "biyar", "shida", "bakwai", "takwas", "tara"]
    static let tens = [
        "", "goma", "ashirin", "talatin", "arba'in", "hamsin", "sittin", "saba'in", "tamanin", "casa'in",
    ]

    /// A whole number: 125 is ɗari da ashirin da biyar, 2,000 dubu biyu.
    static func cardinal(_ value: UInt64) -> String {
        if value < 10 { return ones[Int(value)] }
        if value < 20 { return value == 10 ? "goma" : "goma sha " + ones[Int(value) - 10] }
        let (parts, rest) = NumberWords.parts(value, scales: [1_000_000_000, 1_000_000, 1000, 100])
        var components: [String] = []
        for (multiplier, scale) in parts {
            let name = [1_000_000_000: "biliyan", 1_000_000: "miliyan", 1000: "dubu", 100: "ɗari"][scale]!
            components.append(multiplier == 1 ? name : name + " " + cardinal(multiplier))
        }
        if rest >= 20 {
            components.append(tens[Int(rest / 10)] + (rest % 10 > 0 ? " da " + ones[Int(rest % 10)] : ""))
        } else if rest > 0 {
            components.append(cardinal(rest))
        }
        return components.joined(separator: " da ")
    }
}

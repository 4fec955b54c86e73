/// Zulu numbers and units. Counting forms for 1-5 (kunye ... kuhlanu), nouns from 6 (isithupha, ishumi, ikhulu,
/// inkulungwane, isigidi); a multiplier agrees with its noun (amashumi amabili, izinkulungwane ezintathu) and the
/// parts are joined with na-, which merges with the next vowel (nekhulu, namashumi). The unit nouns are the plural
/// loans of class 6 (amamitha), so a count of a unit takes the ama- concord. Awaiting a native speaker's review.
extension SpokenForms {
    static let zulu = SpokenForms(
        point: "iphoyinti", minus: "khipha", rangeTo: "kuya", timesTenToThe: "phindwa ngeshumi kumandla ka",
        tenToThe: "ishumi kumandla ka",
        units: [
            "m/s²": ("amamitha", "ngesekhondi ngesekhondi"), "m/s^2": ("amamitha", "ngesekhondi ngesekhondi"),
            "km/h": ("amakhilomitha", "ngehora"), "m/s": ("amamitha", "ngesekhondi"),
            "°C": ("amadigri", "eselsiyasi"), "°F": ("amadigri", "efarenhayithi"), "kHz": ("amakhilohetsi", ""),
            "Hz": ("amahetsi", ""), "kg": ("amakhilogremu", ""), "km": ("amakhilomitha", ""),
            "cm": ("amasentimitha", ""), "mm": ("amamilimitha", ""), "kJ": ("amakhilojuli", ""),
            "kW": ("amakhilowathi", ""), "min": ("amaminithi", ""), "%": ("amaphesenti", ""), "°": ("amadigri", ""),
            "m": ("amamitha", ""), "g": ("amagremu", ""), "N": ("amanyuthoni", ""), "J": ("amajuli", ""),
            "W": ("amawathi", ""), "V": ("amavolthi", ""), "A": ("ama-amphiya", ""), "s": ("amasekhondi", ""),
            "h": ("amahora", ""),
        ],
        symbols: [
            "=": "kulingana no", "+": "hlanganisa", "×": "phindwa", "&": "futhi", "≈": "cishe",
            "<": "kuncane kuno", ">": "kukhulu kuno", "÷": "hlukaniswa",
        ],
        abbreviations: [
            "isib.": ("isibonelo", false), "njll.": ("njalonjalo", true), "dkt.": ("udokotela", false),
        ],
        cardinal: ZuluNumbers.cardinal, counted: { value, _ in ZuluNumbers.agreeing(value, concord: .class6) },
        prefixedNumber: ZuluNumbers.prefixed)
}

enum ZuluNumbers {
    static let counting = ["iqanda", "kunye", "kubili", "kuthathu", "kune", "kuhlanu"]
    static let nouns = ["", "", "", "", "", "", "isithupha", "isikhombisa", "isishiyagalombili", "isishiyagalolunye"]
    /// A last digit joined with na-: ishumi nanye, ishumi nesithupha.
    static let joined = [
        "", "nanye", "nambili", "nantathu", "nane", "nanhlanu", "nesithupha", "nesikhombisa", "nesishiyagalombili",
        "nesishiyagalolunye",
    ]

    /// The agreement of a number with the noun it counts.
    enum Concord {
        /// ama- nouns (amashumi, amakhulu, amamitha): amabili ... amahlanu, then ayi-/anga- before a number noun.
        case class6
        /// izin- nouns (izinkulungwane): ezimbili ... ezinhlanu, then eziyi-/ezinga-.
        case class10

        var stems: [String] {
            switch self {
            case .class6: return ["", "elilodwa", "amabili", "amathathu", "amane", "amahlanu"]
            case .class10: return ["", "eyodwa", "ezimbili", "ezintathu", "ezine", "ezinhlanu"]
            }
        }
        var prefix: String { self == .class6 ? "a" : "ezi" }
    }

    /// A number agreeing with a noun: 1-5 with the concord's stems, larger numbers as a copula phrase
    /// (ayisithupha, angamashumi amabili).
    static func agreeing(_ value: UInt64, concord: Concord) -> String {
        if (1...5).contains(value) { return concord.stems[Int(value)] }
        let words = cardinal(value)
        return concord.prefix + (words.hasPrefix("a") ? "ng" : words.hasPrefix("i") ? "y" : "") + words
    }

    /// A whole number, as counted.
    static func cardinal(_ value: UInt64) -> String {
        if value <= 5 { return counting[Int(value)] }
        let (parts, rest) = NumberWords.parts(value, scales: [1_000_000, 1000, 100, 10])
        var components: [String] = []
        for (multiplier, scale) in parts {
            let (singular, plural, concord): (String, String, Concord) =
                switch scale {
                case 1_000_000: ("isigidi", "izigidi", .class10)
                case 1000: ("inkulungwane", "izinkulungwane", .class10)
                case 100: ("ikhulu", "amakhulu", .class6)
                default: ("ishumi", "amashumi", .class6)
                }
            components.append(multiplier == 1 ? singular : plural + " " + agreeing(multiplier, concord: concord))
        }
        if components.isEmpty { return nouns[Int(rest)] }
        return join(components) + (rest > 0 ? " " + joined[Int(rest)] : "")
    }

    /// A prefix written onto a number: a copula (ayi-, angu-, engu-, ngu-, yi-) takes the form the number's first
    /// word needs and that word's first vowel (ayi-100 is ayikhulu, angu-24 angamashumi amabili nane, ngu-5
    /// ngamahlanu); other prefixes (ka-, ngo-) are said as they are, before the number (not fused yet).
    static func prefixed(_ prefix: String, _ value: UInt64) -> String {
        guard let copula = ["ngu", "nga", "yi"].first(where: { prefix.hasSuffix($0) }) else {
            return prefix + " " + cardinal(value)
        }
        // 1-5 are counted with their class 6 forms after a copula (amahlanu), like the unit nouns.
        let words = (1...5).contains(value) ? Concord.class6.stems[Int(value)] : cardinal(value)
        let stem = String(prefix.dropLast(copula.count))
        let joined = words.hasPrefix("i") ? "y" : words.hasPrefix("u") ? "ngu" : words.hasPrefix("a") ? "ng" : "ngu"
        return stem + joined + words
    }

    /// Joins parts with na-, which merges with a following vowel: na + ikhulu is nekhulu, na + amashumi namashumi.
    static func join(_ components: [String]) -> String {
        var words = components[0]
        for component in components.dropFirst() {
            if component.hasPrefix("i") {
                words += " ne" + component.dropFirst()
            } else {
                words += " n" + component
            }
        }
        return words
    }
}

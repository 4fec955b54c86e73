/// Chichewa numbers and units. Counting uses the zi- forms (ziwiri, zitatu), 6-9 are five and one more (zisanu ndi
/// chimodzi); tens and hundreds are class 6 nouns (makumi awiri, mazana atatu), thousands class 8 (zikwi ziwiri);
/// parts join with ndi. The unit nouns are class 9/10 loans (mita zisanu), except hours and degrees (class 6:
/// maola awiri). Awaiting a native speaker's review.
extension SpokenForms {
    static let chichewa = SpokenForms(
        point: "poyinti", minus: "chotsa", rangeTo: "mpaka", timesTenToThe: "kuchulukitsa ndi khumi ku mphamvu ya",
        tenToThe: "khumi ku mphamvu ya",
        units: [
            "m/s²": ("mita", "pa sekondi pa sekondi"), "m/s^2": ("mita", "pa sekondi pa sekondi"),
            "km/h": ("kilomita", "pa ola"), "m/s": ("mita", "pa sekondi"), "°C": ("madigiri", "a selisiyasi"),
            "°F": ("madigiri", "a farenhaiti"), "kHz": ("kilohetzi", ""), "Hz": ("hetzi", ""),
            "kg": ("kilogalamu", ""), "km": ("kilomita", ""), "cm": ("sentimita", ""), "mm": ("milimita", ""),
            "kJ": ("kilojuzi", ""), "kW": ("kilowati", ""), "min": ("mphindi", ""), "%": ("pelesenti", ""),
            "°": ("madigiri", ""), "m": ("mita", ""), "g": ("galamu", ""), "N": ("nyutoni", ""), "J": ("juzi", ""),
            "W": ("wati", ""), "V": ("voliti", ""), "A": ("ampiya", ""), "s": ("sekondi", ""), "h": ("maola", ""),
        ],
        symbols: [
            "=": "zikufanana ndi", "+": "kuphatikiza", "×": "kuchulukitsa", "&": "ndi", "≈": "pafupifupi",
            "<": "ndi zochepa kuposa", ">": "ndi zambiri kuposa", "÷": "kugawa ndi",
        ],
        abbreviations: ["dr.": ("dokotala", false), "mwa.": ("mwachitsanzo", false)],
        cardinal: ChichewaNumbers.cardinal,
        counted: { value, symbol in
            let classSix = ["h", "°", "°C", "°F"].contains(symbol)
            if classSix { return ChichewaNumbers.classSix(value) }
            return value == 1 ? "imodzi" : ChichewaNumbers.cardinal(value)
        })
}

enum ChichewaNumbers {
    static let units = ["ziro", "chimodzi", "ziwiri", "zitatu", "zinayi", "zisanu"]
    static let classSixStems = ["", "limodzi", "awiri", "atatu", "anayi", "asanu"]

    /// 1-9 agreeing with a class 6 noun (makumi, mazana, maola): limodzi ... asanu ndi anayi.
    static func classSix(_ value: UInt64) -> String {
        if value <= 5 { return classSixStems[Int(value)] }
        if value < 10 { return "asanu ndi " + classSixStems[Int(value) - 5] }
        return cardinal(value)
    }

    /// A whole number, as counted.
    static func cardinal(_ value: UInt64) -> String {
        if value <= 5 { return units[Int(value)] }
        if value < 10 { return "zisanu ndi " + (value == 6 ? "chimodzi" : units[Int(value) - 5]) }
        let (parts, rest) = NumberWords.parts(value, scales: [1_000_000, 1000, 100, 10])
        var components: [String] = []
        for (multiplier, scale) in parts {
            switch scale {
            case 1_000_000: components.append("miliyoni " + (multiplier == 1 ? "imodzi" : cardinal(multiplier)))
            case 1000: components.append(multiplier == 1 ? "chikwi" : "zikwi " + cardinal(multiplier))
            case 100: components.append(multiplier == 1 ? "zana" : "mazana " + classSix(multiplier))
            default: components.append(multiplier == 1 ? "khumi" : "makumi " + classSix(multiplier))
            }
        }
        if rest > 0 { components.append(cardinal(rest)) }
        return components.joined(separator: " ndi ")
    }
}

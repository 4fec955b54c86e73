import Foundation

/// Acoustic targets of one phoneme for the formant synthesizer.
public struct PhonemeTarget: Sendable, Equatable {
    public var phonemeClass: PhonemeClass
    /// Intrinsic duration at rate 1, milliseconds.
    public var durationMilliseconds: Double
    /// F1-F3, Hz (adult male reference; the voice's formant scale multiplies them).
    public var formantsHz: [Double]
    /// B1-B3, Hz.
    public var bandwidthsHz: [Double]
    /// F1-F3 at the end, for diphthongs.
    public var endFormantsHz: [Double]?
    public var voiced: Bool
    /// Parallel-branch noise amplitudes A2, A3, A4, A5, A6 and the bypass AB, dB (0 means off).
    public var fricationDecibels: [Double]
    /// Whether the nasal tract is open (nasal pole/zero pair separates).
    public var nasal: Bool
    /// How far the formants lean toward the next phoneme's, 0-1 (velars and h take the vowel's shape).
    public var coarticulation: Double = 0
    /// How long a stop's release burst lasts, ms: velar bursts are longer than labial and alveolar ones.
    public var burstMilliseconds: Double = 12
    /// Breath after a stop's release before the next vowel's voicing, ms (kʰ, ǀʰ; bʱ murmurs); nil: the default
    /// (English aspirates voiceless stops, other languages barely), 0 for none (ejectives).
    public var aspirationMilliseconds: Double?
}

/// Targets for every phoneme, with per-language overrides (Voices/phonemes.targets), parsed strictly.
///
/// One phoneme a line, `symbol key=value …`; keys:
/// `class=` a `PhonemeClass`, `dur=` ms, `f=F1,F2,F3` Hz, `b=B1,B2,B3` Hz, `to=F1,F2,F3` (diphthong end),
/// `voiced=yes|no`, `fric=A2,A3,A4,A5,A6,AB` dB, `nasal=yes|no`, `coart=` 0-1 (how far the formants lean toward
/// the next phoneme's: 1 for h, which is the next vowel breathed), `burst=` ms (a stop's release, default 12),
/// `asp=` ms of breath after a stop's release (aspirated and breathy stops; 0 for ejectives).
/// `class`, `dur`, `f` are required; `b` defaults to
/// 80,100,150; `voiced` defaults to yes for vowels, diphthongs, approximants, nasals, flaps and no otherwise.
/// A line `language sw` starts that language's overrides: a symbol listed there replaces the shared entry
/// for that language only.
public struct PhonemeTargets: Sendable {
    public private(set) var shared: [String: PhonemeTarget] = [:]
    public private(set) var overrides: [String: [String: PhonemeTarget]] = [:]

    /// The target for a symbol in a language.
    public func target(_ symbol: String, language: Language) -> PhonemeTarget? {
        overrides[language.rawValue]?[symbol] ?? shared[symbol]
    }

    /// Reads a targets file.
    public static func load(from url: URL) throws -> PhonemeTargets {
        try PhonemeTargets(file: DataFileLines(contentsOf: url))
    }

    /// Parses targets text; `path` names the source in errors.
    public init(text: String, path: String) throws {
        try self.init(file: DataFileLines(text: text, path: path))
    }

    init(file: DataFileLines) throws {
        var section: String?
        for (lineNumber, text) in file.lines {
            let fields = text.split(whereSeparator: \.isWhitespace)
            if fields[0] == "language" {
                guard fields.count == 2, let code = try? Language(code: String(fields[1])) else {
                    throw file.error(lineNumber, "expected 'language CODE' with a supported code, found '\(text)'")
                }
                section = code.rawValue
                continue
            }
            let symbol = String(fields[0])
            var values: [String: String] = [:]
            for field in fields.dropFirst() {
                let pair = field.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { throw file.error(lineNumber, "expected key=value, found '\(field)'") }
                let key = String(pair[0])
                guard ["class", "dur", "f", "b", "to", "voiced", "fric", "nasal", "coart", "burst", "asp"].contains(key)
                else {
                    throw file.error(
                        lineNumber,
                        "unknown key '\(key)' (expected class, dur, f, b, to, voiced, fric, nasal, coart, burst, asp)")
                }
                if values[key] != nil { throw file.error(lineNumber, "key '\(key)' given twice") }
                values[key] = String(pair[1])
            }
            func numbers(_ key: String, count: Int) throws -> [Double]? {
                guard let value = values[key] else { return nil }
                let parts = value.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
                guard parts.count == count, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else {
                    throw file.error(
                        lineNumber, "\(key)= needs \(count) non-negative numbers separated by commas, found '\(value)'")
                }
                return parts.map { $0! }
            }
            func flag(_ key: String) throws -> Bool? {
                guard let value = values[key] else { return nil }
                guard value == "yes" || value == "no" else {
                    throw file.error(lineNumber, "\(key)= must be yes or no, found '\(value)'")
                }
                return value == "yes"
            }
            guard let className = values["class"] else { throw file.error(lineNumber, "'\(symbol)' has no class=") }
            guard let phonemeClass = PhonemeClass(rawValue: className) else {
                throw file.error(lineNumber, "unknown class '\(className)'")
            }
            guard let durationText = values["dur"], let duration = Double(durationText), duration > 0, duration < 1000
            else { throw file.error(lineNumber, "'\(symbol)' needs dur= in milliseconds (1-999)") }
            guard let formants = try numbers("f", count: 3) else {
                throw file.error(lineNumber, "'\(symbol)' has no f=")
            }
            let sonorant: Set<PhonemeClass> = [.vowel, .diphthong, .approximant, .nasal, .flap]
            var coarticulation = 0.0
            if let text = values["coart"] {
                guard let value = Double(text), (0...1).contains(value) else {
                    throw file.error(lineNumber, "coart= must be a number in 0...1, found '\(text)'")
                }
                coarticulation = value
            }
            var burst = 12.0
            if let text = values["burst"] {
                guard let value = Double(text), (1...100).contains(value) else {
                    throw file.error(lineNumber, "burst= must be milliseconds in 1...100, found '\(text)'")
                }
                burst = value
            }
            var target = PhonemeTarget(
                phonemeClass: phonemeClass, durationMilliseconds: duration, formantsHz: formants,
                bandwidthsHz: try numbers("b", count: 3) ?? [80, 100, 150], endFormantsHz: try numbers("to", count: 3),
                voiced: try flag("voiced") ?? sonorant.contains(phonemeClass),
                fricationDecibels: try numbers("fric", count: 6) ?? [0, 0, 0, 0, 0, 0],
                nasal: try flag("nasal") ?? false)
            target.coarticulation = coarticulation
            target.burstMilliseconds = burst
            if let text = values["asp"] {
                guard let value = Double(text), (0...200).contains(value) else {
                    throw file.error(lineNumber, "asp= must be milliseconds in 0...200, found '\(text)'")
                }
                target.aspirationMilliseconds = value
            }
            if phonemeClass == .diphthong, target.endFormantsHz == nil {
                throw file.error(lineNumber, "diphthong '\(symbol)' needs to=F1,F2,F3")
            }
            if let section {
                if overrides[section]?[symbol] != nil { throw file.error(lineNumber, "'\(symbol)' is listed twice") }
                overrides[section, default: [:]][symbol] = target
            } else {
                if shared[symbol] != nil { throw file.error(lineNumber, "'\(symbol)' is listed twice") }
                shared[symbol] = target
            }
        }
    }
}

/// A speaker: settings over shared phoneme targets (Voices/<name>.voice), parsed strictly.
///
/// One setting a line, `key value`:
///
///     description   warm and clear, a little slow: for young children
///     inherit       kind                # optional: start from another voice and change a few lines
///     pitch-hz      210                 # average pitch
///     pitch-range   1.2                 # how far pitch moves on accents and questions (1 = normal)
///     formant-scale 1.15                # multiplies every formant (shorter vocal tract > 1)
///     breathiness   0.3                 # 0-1: aspiration mixed into voicing, softer spectrum
///     rate          0.95                # speaking rate (1 = normal)
///     jitter        0.01                # period-to-period pitch variation, fraction
///     shimmer       0.05                # period-to-period loudness variation, fraction
///     open-quotient 0.6                 # fraction of each period the glottis is open (0.3-0.9)
///     targets       phonemes.targets    # phoneme targets file in Voices/
///
/// A recorded (diphone) voice also names its database and phone map; prosody still times phonemes by the targets:
///
///     diphones      /usr/share/festival/voices/hindi/hindi_NSK_diphone/group/NSKlpc.group
///     diphone-phones hi-nsk.phones      # our phonemes -> the database's phones, in Voices/
///     package       festvox-hi-nsk      # the Debian package that installs the database (named when it is missing)
public struct Voice: Sendable, Equatable {
    public var name: String
    public var description = ""
    public var pitchHz = 120.0
    public var pitchRange = 1.0
    public var formantScale = 1.0
    public var breathiness = 0.1
    public var rate = 1.0
    public var jitter = 0.01
    public var shimmer = 0.03
    public var openQuotient = 0.6
    public var targetsFile = "phonemes.targets"
    /// A diphone database (absolute, or relative to Voices/): the voice speaks recorded units instead of formants.
    public var diphoneDatabase: String?
    /// The phone map for the diphone database, in Voices/.
    public var diphonePhonesFile: String?
    /// The package that provides the diphone database, for the message when it is not installed.
    public var diphonePackage: String?

    public init(name: String) { self.name = name }

    /// The voices in a folder, by name (files ending in `.voice`).
    public static func available(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".voice") }.map { String($0.dropLast(".voice".count)) }.sorted()
    }

    /// Loads `Voices/<name>.voice`, following `inherit` lines.
    public static func load(named name: String, folder: URL) throws -> Voice {
        try load(named: name, folder: folder, chain: [])
    }

    private static func load(named name: String, folder: URL, chain: [String]) throws -> Voice {
        let url = folder.appendingPathComponent(name + ".voice")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw SynthesisError.unknownVoice(name: name, available: available(in: folder))
        }
        let file = try DataFileLines(contentsOf: url)
        return try parse(file, name: name) { parent, line in
            if chain.contains(parent) || parent == name {
                throw file.error(line, "inherit loop: \((chain + [name, parent]).joined(separator: " -> "))")
            }
            return try load(named: parent, folder: folder, chain: chain + [name])
        }
    }

    /// Parses voice text; `inherit` is resolved by `parent`.
    public static func parse(
        _ text: String, path: String, name: String,
        parent: (String, Int) throws -> Voice = { parent, line in
            throw SynthesisError.unknownVoice(name: parent, available: [])
        }
    ) throws -> Voice {
        try parse(DataFileLines(text: text, path: path), name: name, parent: parent)
    }

    static func parse(_ file: DataFileLines, name: String, parent: (String, Int) throws -> Voice) throws -> Voice {
        var voice = Voice(name: name)
        var seen: Set<String> = []
        for (index, (lineNumber, text)) in file.lines.enumerated() {
            let parts = text.split(maxSplits: 1, whereSeparator: \.isWhitespace)
            let key = String(parts[0])
            let value = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            if value.isEmpty { throw file.error(lineNumber, "'\(key)' has no value") }
            if seen.contains(key) { throw file.error(lineNumber, "'\(key)' is set twice") }
            seen.insert(key)
            func number(_ range: ClosedRange<Double>) throws -> Double {
                guard let result = Double(value), range.contains(result) else {
                    throw file.error(
                        lineNumber,
                        "\(key) must be a number in \(range.lowerBound)...\(range.upperBound), found '\(value)'")
                }
                return result
            }
            switch key {
            case "inherit":
                guard index == 0 else { throw file.error(lineNumber, "inherit must be the first setting") }
                let base = try parent(value, lineNumber)
                voice = base
                voice.name = name
            case "description": voice.description = value
            case "pitch-hz": voice.pitchHz = try number(50...500)
            case "pitch-range": voice.pitchRange = try number(0...3)
            case "formant-scale": voice.formantScale = try number(0.7...1.5)
            case "breathiness": voice.breathiness = try number(0...1)
            case "rate": voice.rate = try number(0.3...3)
            case "jitter": voice.jitter = try number(0...0.1)
            case "shimmer": voice.shimmer = try number(0...0.5)
            case "open-quotient": voice.openQuotient = try number(0.3...0.9)
            case "targets": voice.targetsFile = value
            case "diphones": voice.diphoneDatabase = value
            case "diphone-phones": voice.diphonePhonesFile = value
            case "package": voice.diphonePackage = value
            default:
                throw file.error(
                    lineNumber,
                    "unknown setting '\(key)' (expected inherit, description, pitch-hz, pitch-range, formant-scale, "
                        + "breathiness, rate, jitter, shimmer, open-quotient, targets, diphones, diphone-phones, "
                        + "package)")
            }
        }
        if (voice.diphoneDatabase == nil) != (voice.diphonePhonesFile == nil) {
            throw file.error(
                file.lines.last?.number ?? 0, "'diphones' and 'diphone-phones' go together: give both or neither")
        }
        return voice
    }
}

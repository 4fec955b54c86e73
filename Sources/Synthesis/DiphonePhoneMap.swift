import Foundation

/// How our phonemes are spoken with a diphone database's phones (`Voices/<voice>.phones`), parsed strictly.
///
/// One phoneme a line, `symbol phone [phone ...]`: our symbol (IPA, as in `Lexicons/<code>/phonemes`, or `_` for a
/// pause) and the database phone or phones that say it (an aspirate the database lacks as one phone, `ʈʰ`, can be
/// `T h`). A line `similar phone stand-in [stand-in ...]` names phones to try in a phone's place when a diphone
/// with it is missing (`similar kh k`: k-th stands in for a missing kh-th); without one, a missing diphone is joined
/// through a pause. A symbol listed twice, or a phone that no unit of the database names, is an error with file:line.
public struct DiphonePhoneMap: Sendable, Equatable {
    /// The file, as named in errors.
    public var path: String
    /// Our symbol to the database's phones.
    public var phones: [String: [String]]
    /// Database phone to the phones that may stand in for it in a missing diphone, best first.
    public var similar: [String: [String]]
    /// Line of each symbol and `similar` entry, for messages.
    var lines: [String: Int]
    var similarLines: [String: Int]

    /// Reads a map file.
    public static func load(from url: URL) throws -> DiphonePhoneMap {
        try DiphonePhoneMap(file: DataFileLines(contentsOf: url))
    }

    /// Parses map text; `path` names the source in errors.
    public init(text: String, path: String) throws {
        try self.init(file: DataFileLines(text: text, path: path))
    }

    init(file: DataFileLines) throws {
        path = file.path
        phones = [:]
        lines = [:]
        similar = [:]
        similarLines = [:]
        for (lineNumber, text) in file.lines {
            let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
            if fields[0] == "similar" {
                guard fields.count >= 3 else {
                    throw file.error(lineNumber, "expected 'similar phone stand-in [stand-in ...]', found '\(text)'")
                }
                if similarLines[fields[1]] != nil {
                    throw file.error(lineNumber, "'similar \(fields[1])' is given twice")
                }
                similar[fields[1]] = Array(fields.dropFirst(2))
                similarLines[fields[1]] = lineNumber
                continue
            }
            guard fields.count >= 2, fields.count <= 4 else {
                throw file.error(lineNumber, "expected 'symbol phone [phone ...]' (1-3 phones), found '\(text)'")
            }
            if lines[fields[0]] != nil {
                throw file.error(lineNumber, "'\(fields[0])' is listed twice (first on line \(lines[fields[0]]!))")
            }
            phones[fields[0]] = Array(fields.dropFirst())
            lines[fields[0]] = lineNumber
        }
        guard phones["_"] != nil else {
            throw SynthesisError.invalidLine(path: path, line: 0, reason: "no line for the pause '_' (e.g. '_ pau')")
        }
    }

    /// Throws when a mapped phone occurs in no unit of the database (a typo would otherwise be silent).
    public func check(against database: any DiphoneUnitProviding) throws {
        var known: Set<String> = []
        for name in database.names {
            for phone in name.split(separator: "-") { known.insert(String(phone)) }
        }
        for (symbol, mapped) in phones.sorted(by: { lines[$0.key]! < lines[$1.key]! }) {
            for phone in mapped where !known.contains(phone) {
                throw SynthesisError.invalidLine(
                    path: path, line: lines[symbol]!,
                    reason: "'\(symbol)': phone '\(phone)' is in no diphone of \(database.path)")
            }
        }
        for (phone, standIns) in similar.sorted(by: { similarLines[$0.key]! < similarLines[$1.key]! }) {
            for name in [phone] + standIns where !known.contains(name) {
                throw SynthesisError.invalidLine(
                    path: path, line: similarLines[phone]!,
                    reason: "similar: phone '\(name)' is in no diphone of \(database.path)")
            }
        }
    }
}

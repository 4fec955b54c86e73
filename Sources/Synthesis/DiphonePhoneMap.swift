import Foundation

/// How our phonemes are spoken with a diphone database's phones (`Voices/<voice>.phones`), parsed strictly.
///
/// One phoneme a line, `symbol phone [phone ...]`: our symbol (IPA, as in `Lexicons/<code>/phonemes`, or `_` for a
/// pause) and the database phone or phones that say it (an aspirate the database lacks as one phone, `ʈʰ`, can be
/// `T h`). A symbol listed twice, or a phone that no unit of the database names, is an error with file:line.
public struct DiphonePhoneMap: Sendable, Equatable {
    /// The file, as named in errors.
    public var path: String
    /// Our symbol to the database's phones.
    public var phones: [String: [String]]
    /// Line of each symbol, for messages.
    var lines: [String: Int]

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
        for (lineNumber, text) in file.lines {
            let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
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
    public func check(against database: DiphoneDatabase) throws {
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
    }
}

import Foundation

/// A lesson's title, checked so that the file named after it stays inside the library folder.
///
/// The title is kept as the teacher wrote it ("Magnets and compasses"); its file stem is the title in lower case
/// with every run of characters other than letters and digits turned into one `-` (`magnets-and-compasses`).
/// Titles with path characters (`/`, `\`), control characters, a leading dot (`..`, `.hidden`) or no letter or digit
/// at all are refused rather than rewritten, so a teacher never finds a lesson under a name they did not choose.
public struct LessonTitle: Sendable, Hashable, CustomStringConvertible {
    /// Titles longer than this are refused: the file name must fit every file system (255 bytes).
    public static let maximumCharacters = 100

    /// The title as written, with surrounding spaces removed.
    public let text: String
    /// The file name without extension: lower-case letters, digits and `-`.
    public let fileStem: String

    /// Checks a title; throws `LessonError.invalidTitle` saying what is wrong.
    public init(_ raw: String) throws {
        let text = raw.trimmingCharacters(in: .whitespaces)
        func refuse(_ reason: String) -> LessonError { .invalidTitle(title: raw, reason: reason) }
        guard !text.isEmpty else { throw refuse("is empty") }
        guard text.count <= Self.maximumCharacters else {
            throw refuse("is \(text.count) characters long; at most \(Self.maximumCharacters) are allowed")
        }
        if let bad = text.unicodeScalars.first(where: { $0 == "/" || $0 == "\\" }) {
            throw refuse("contains the path character '\(bad)'; a title names a file inside the library folder")
        }
        if let bad = text.unicodeScalars.first(where: { CharacterSet.controlCharacters.contains($0) }) {
            throw refuse("contains the control character U+\(String(bad.value, radix: 16, uppercase: true))")
        }
        guard !text.hasPrefix(".") else {
            throw refuse("starts with '.'; names like '..' or '.hidden' would leave or hide in the library folder")
        }
        var stem = ""
        for character in text.lowercased().folding(options: [.diacriticInsensitive], locale: nil) {
            if character.isLetter || character.isNumber {
                stem.append(character)
            } else if !stem.isEmpty, stem.last != "-" {
                stem.append("-")
            }
        }
        while stem.last == "-" { stem.removeLast() }
        guard !stem.isEmpty else { throw refuse("has no letter or digit to name its file") }
        self.text = text
        self.fileStem = stem
    }

    public var description: String { text }

    /// Titles compare by what they are called, ignoring case.
    public static func == (lhs: LessonTitle, rhs: LessonTitle) -> Bool {
        lhs.text.lowercased() == rhs.text.lowercased()
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(text.lowercased()) }
}

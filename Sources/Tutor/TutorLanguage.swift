/// A language the tutor answers in, and the languages a child may ask in for an answer in it.
///
/// English and Swahili cover every topic; the other six cover the 20 core topics (`Curriculum/README.md`). Whisper
/// base recognizes Hausa, Yoruba, Hindi and Urdu, so a child may ask in them. No recognizer here knows Chichewa or
/// Zulu: for those the tutor is spoken-output-only, so the child asks in English or Swahili and hears the answer in
/// their own language.
public struct TutorLanguage: Sendable, Equatable {
    /// The language code, as used for curriculum folders and `--lang` (`zu`).
    public var code: String
    /// The English name, for messages (`Zulu`).
    public var name: String
    /// Whether a speech recognizer here writes this language, so that a question may be asked in it.
    public var isRecognized: Bool
    /// Whether every listed topic is written in it (`en`, `sw`), rather than the 20 core topics only.
    public var coversEveryTopic: Bool

    /// The languages every topic is written in, which a child may always ask in.
    public static let everyTopicCodes = ["en", "sw"]

    /// Every language the curriculum may be written in, English first.
    public static let all: [TutorLanguage] = [
        TutorLanguage(code: "en", name: "English", isRecognized: true, coversEveryTopic: true),
        TutorLanguage(code: "sw", name: "Swahili", isRecognized: true, coversEveryTopic: true),
        TutorLanguage(code: "ny", name: "Chichewa", isRecognized: false, coversEveryTopic: false),
        TutorLanguage(code: "zu", name: "Zulu", isRecognized: false, coversEveryTopic: false),
        TutorLanguage(code: "ha", name: "Hausa", isRecognized: true, coversEveryTopic: false),
        TutorLanguage(code: "yo", name: "Yoruba", isRecognized: true, coversEveryTopic: false),
        TutorLanguage(code: "hi", name: "Hindi", isRecognized: true, coversEveryTopic: false),
        TutorLanguage(code: "ur", name: "Urdu", isRecognized: true, coversEveryTopic: false),
    ]

    /// Every language code, in the order of `all`.
    public static let codes = all.map(\.code)

    /// The language with this code, if the tutor knows it.
    public static func named(_ code: String) -> TutorLanguage? {
        all.first { $0.code == code }
    }

    /// Where to look for the topic of a question answered in this language: the language itself, then English and
    /// Swahili. A spoken Chichewa or Zulu question cannot be recognized, so those children ask in English or Swahili;
    /// a typed question may still be in the language itself.
    public var questionLanguages: [String] {
        [code] + Self.everyTopicCodes.filter { $0 != code }
    }
}

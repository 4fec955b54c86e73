import Recognition
import Testing

@testable import Pipeline

/// What Whisper is told to listen for, the same for the kiosk's questions and `tutor ask`'s spoken requests.
@Suite struct QuestionTranscriptionOptionsTests {
    @Test(arguments: ["en", "sw"])
    func aLanguageWhisperWritesIsHeardAsItself(language: String) {
        let options = QuestionAnswerer.transcriptionOptions(language: language, candidates: ["en", "sw"])
        #expect(options.language == language)
        #expect(options.candidateLanguages == nil)
    }

    /// Chichewa and Zulu children ask in English or Swahili; `auto` means any of the kiosk's languages.
    @Test(arguments: ["ny", "zu", "auto"])
    func otherwiseWhisperDetectsTheLanguageAmongTheCandidates(language: String) {
        let options = QuestionAnswerer.transcriptionOptions(language: language, candidates: ["en", "sw"])
        #expect(options.language == nil)
        #expect(options.candidateLanguages == ["en", "sw"])
    }
}

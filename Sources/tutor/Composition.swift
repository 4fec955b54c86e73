// The seams of TutorCore, filled with the stages that implement them. Stages never import each other; the command
// line (and later Pipeline) is where they meet.
import Audio
import Foundation
import LanguageModel
import Recognition
import Synthesis
import Tutor
import TutorCore

/// Whisper as a spoken request is heard, by `tutor ask` and `tutor lesson find --audio`: tiny.en when the child's
/// language is English, base otherwise. Base is told the language when Whisper writes it; for `auto` (and for
/// languages Whisper cannot write, whose children ask in English or Swahili) it detects among
/// `TutorResources.languages`. Not thread-safe: one per command.
struct SpokenRequestRecognizer {
    let recognizer: WhisperRecognizer
    /// `tiny.en` or `base`.
    let modelName: String
    /// The child's language as given: a `TutorLanguage` code or `auto`.
    let language: String

    /// Loads the model for `language` from the cache.
    init(language: String) throws {
        self.language = language
        modelName = language == "en" ? "tiny.en" : "base"
        let path = try TranscribeCommand.modelPath(modelName, cache: nil)
        do {
            recognizer = try WhisperRecognizer(model: WhisperModel(path: path))
        } catch {
            throw UserFacingError("\(error)")
        }
    }

    /// A sound file as 16 kHz mono; its errors name the file.
    static func read(_ path: String) throws -> MonoAudio {
        do {
            return try SoundFile.readSpeech(URL(fileURLWithPath: path))
        } catch {
            throw UserFacingError("\(error)")
        }
    }

    /// The request's text and the language Whisper wrote it in. `appendedSilenceMilliseconds` of silence after
    /// the audio helps Whisper finish a short utterance's last word.
    func transcribe(_ audio: MonoAudio, appendedSilenceMilliseconds: Int = 0) throws -> Transcription {
        let heard = TutorLanguage.named(language).map(\.isRecognized) == true ? language : nil
        var options = TranscriptionOptions(language: heard)
        options.appendedSilenceMilliseconds = appendedSilenceMilliseconds
        if heard == nil { options.candidateLanguages = TutorResources.languages }
        do {
            return try recognizer.transcribe(audio.samples, options: options)
        } catch {
            throw UserFacingError("\(error)")
        }
    }
}

/// The recognizer as the Tutor sees it: log-probabilities of known phrasings against one utterance's audio.
struct WhisperPhraseScorer: PhraseScoring {
    let recognizer: WhisperRecognizer
    /// The utterance, 16 kHz mono.
    let samples: [Float]

    func logProbabilities(of candidates: [String], language: String) throws -> [Double] {
        try recognizer.scorePhrases(samples, candidates: candidates, language: language).map {
            Double($0.logProbability)
        }
    }
}

/// The language model as the Tutor sees it: a grounded answer, one complete sentence at a time.
///
/// The system prompt comes first and is the same for every question, so the generator's cache of it is reused;
/// the passages and the question follow in the user turn.
struct ModelAnswerGenerator: TextGenerating {
    let generator: TextGenerator
    var maximumTokens = 160
    /// Greedy. A repetition penalty (1.1 over the last 64 tokens) was tried on Evaluation/dev: SmolLM2-135M wandered
    /// further from the facts and kept no more answers whole (5 of 35 with it and without); the checker stops its
    /// loops instead.
    var sampling = SamplingOptions.greedy
    /// What the last generation did, for `--timings`.
    private(set) var lastResult: GenerationResult?

    init(generator: TextGenerator) { self.generator = generator }

    mutating func generate(_ request: TextGenerationRequest, onSentence: (String) throws -> Bool) throws {
        let user = request.userMessage
        var splitter = SentenceSplitter(language: try Language(code: request.language))
        let cancellation = GenerationCancellation()
        var sentences = 0
        var failure: Error?
        func deliver(_ completed: [String]) {
            for sentence in completed where !cancellation.isCancelled {
                do {
                    sentences += 1
                    if try !onSentence(sentence) || sentences >= request.maximumSentences { cancellation.cancel() }
                } catch {
                    failure = error
                    cancellation.cancel()
                }
            }
        }
        lastResult = try generator.generate(
            messages: [.system(request.systemPrompt), .user(user)],
            options: GenerationOptions(maximumTokens: maximumTokens, sampling: sampling), cancellation: cancellation
        ) { piece in
            var completed: [String] = []
            try? splitter.process(piece, into: &completed)
            deliver(completed)
        }
        if !cancellation.isCancelled {
            var rest: [String] = []
            try splitter.flush(into: &rest)
            deliver(rest)
        }
        if let failure { throw failure }
    }
}

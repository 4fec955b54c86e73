// The seams of TutorCore, filled with the stages that implement them. Stages never import each other; Pipeline is
// where they meet.
import Foundation
import LanguageModel
import Recognition
import Synthesis
import TutorCore

/// The recognizer as the Tutor sees it: log-probabilities of known phrasings against one utterance's audio.
public struct WhisperPhraseScorer: PhraseScoring {
    public let recognizer: WhisperRecognizer
    /// The utterance, 16 kHz mono.
    public let samples: [Float]

    /// A scorer of phrasings against `samples`.
    public init(recognizer: WhisperRecognizer, samples: [Float]) {
        self.recognizer = recognizer
        self.samples = samples
    }

    public func logProbabilities(of candidates: [String], language: String) throws -> [Double] {
        try recognizer.scorePhrases(samples, candidates: candidates, language: language).map {
            Double($0.logProbability)
        }
    }
}

/// The language model as the Tutor sees it: a grounded answer, one complete sentence at a time.
///
/// The system prompt comes first and is the same for every question, so the generator's cache of it is reused;
/// the passages and the question follow in the user turn. `cancellation` stops it from another thread (barge-in).
public struct ModelAnswerGenerator: TextGenerating {
    public let generator: TextGenerator
    public var maximumTokens = 160
    /// Greedy. A repetition penalty (1.1 over the last 64 tokens) was tried on Evaluation/dev: SmolLM2-135M wandered
    /// further from the facts and kept no more answers whole (5 of 35 with it and without); the checker stops its
    /// loops instead.
    public var sampling = SamplingOptions.greedy
    /// Raised from another thread to stop after the current token; a raised flag stays raised, so one per answer.
    public var cancellation = GenerationCancellation()
    /// Called with each sentence the Tutor accepted, as soon as it did: the pipeline speaks it at once.
    public var onAccepted: (String) -> Void = { _ in }
    /// What the last generation did, for `--timings`.
    public private(set) var lastResult: GenerationResult?

    /// A generator over a loaded model.
    public init(generator: TextGenerator) { self.generator = generator }

    public mutating func generate(_ request: TextGenerationRequest, onSentence: (String) throws -> Bool) throws {
        let user = request.userMessage
        let exampleTurns = request.examples.flatMap { [ChatMessage.user($0.user), .assistant($0.assistant)] }
        var splitter = SentenceSplitter(language: try Language(code: request.language))
        // The answer's own stop (a failed check, enough sentences) must not look like the child interrupting.
        let interrupted = cancellation
        let cancellation = GenerationCancellation()
        let onAccepted = onAccepted
        var sentences = 0
        var failure: Error?
        func deliver(_ completed: [String]) {
            for sentence in completed where !cancellation.isCancelled {
                do {
                    sentences += 1
                    let accepted = try onSentence(sentence)
                    let trimmed = sentence.trimmingCharacters(in: .whitespacesAndNewlines)
                    if accepted && !trimmed.isEmpty { onAccepted(trimmed) }
                    if !accepted || sentences >= request.maximumSentences { cancellation.cancel() }
                } catch {
                    failure = error
                    cancellation.cancel()
                }
            }
        }
        lastResult = try generator.generate(
            messages: [.system(request.systemPrompt)] + exampleTurns + [.user(user)],
            options: GenerationOptions(maximumTokens: maximumTokens, sampling: sampling), cancellation: cancellation
        ) { piece in
            if interrupted.isCancelled { cancellation.cancel() }
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

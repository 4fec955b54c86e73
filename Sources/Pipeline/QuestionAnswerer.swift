import Foundation
import LanguageModel
import Logging
import Recognition
import Tutor
import TutorCore

/// A question as the pipeline receives it.
public enum Question: Sendable, Equatable {
    /// A spoken question, 16 kHz mono.
    case audio(MonoAudio)
    /// A written question.
    case text(String)
}

/// How questions are understood and answered.
public struct AnsweringOptions: Sendable, Equatable {
    /// The child's language: a code of `TutorLanguage.all`, or `auto` to detect English or Swahili.
    public var language = "auto"
    /// Answer from the curated text only, without the language model.
    public var curatedOnly = false
    /// The most tokens the language model may write for one answer.
    public var maximumAnswerTokens = 160

    /// The defaults above.
    public init() {}
}

/// What was understood and said, for the report and `--timings`.
public struct WrittenAnswer: Sendable, Equatable {
    /// The question as recognized (or as written).
    public var question = ""
    /// The answer's language.
    public var language = "en"
    /// The curriculum topic answered, if any.
    public var topicID: String?
    /// Who wrote the answer: `curated`, `modelWhole`, `modelThenCurated`; `lesson` for a lesson request.
    public var authorship = "curated"
    /// Every sentence to be said, safety first.
    public var sentences: [String] = []
    /// The lesson the child asked for, when the question was a lesson request that a lesson fits.
    public var lessonTitle: String?
    /// That lesson's audio file, played instead of an answer.
    public var lessonAudio: URL?
    /// A model sentence the checks rejected, with the reason.
    public var rejectedSentence: String?
    /// Why the language model failed, when it did and the curated text was said instead.
    public var modelFailure: String?

    /// An empty answer.
    public init() {}
}

/// Understands a question and writes its answer sentence by sentence: Whisper, retrieval, the Tutor, the model.
///
/// Each sentence goes to `speak` as soon as it is final (safety first, then every model sentence the checks accept,
/// then any curated sentence completing it), so speaking can start long before the answer is written. A failing
/// language model never loses the answer: the curated text is said instead. Not thread-safe: one per pipeline.
public final class QuestionAnswerer {
    /// The curriculum, retrieval and dialogue rules.
    public let answerer: TutorAnswerer
    /// Whisper tiny.en, for questions in English.
    public let englishRecognizer: WhisperRecognizer?
    /// Whisper base, for other languages and detection.
    public let multilingualRecognizer: WhisperRecognizer?
    /// The language model, or nil for curated answers only.
    public let generator: TextGenerator?
    /// The options, fixed at creation.
    public let options: AnsweringOptions
    /// The languages Whisper picks between when the child's language is `auto` or has no recognizer.
    public let languages: [String]
    /// The kiosk's lessons; nil where lessons are not offered (then a lesson request is answered as a question).
    public let lessons: KioskLessons?

    private let logger = Logger(label: "pipeline.answer")

    /// An answerer over loaded parts; a recognizer may be nil when its language is not used.
    public init(
        answerer: TutorAnswerer, englishRecognizer: WhisperRecognizer?, multilingualRecognizer: WhisperRecognizer?,
        generator: TextGenerator?, options: AnsweringOptions = AnsweringOptions(), languages: [String] = ["en", "sw"],
        lessons: KioskLessons? = nil
    ) {
        self.lessons = lessons
        self.answerer = answerer
        self.englishRecognizer = englishRecognizer
        self.multilingualRecognizer = multilingualRecognizer
        self.generator = generator
        self.options = options
        self.languages = languages
    }

    /// The Whisper model a language needs: tiny.en for English, base otherwise.
    public static func recognizerName(language: String) -> String { language == "en" ? "tiny.en" : "base" }

    /// Whisper's options for a question in `language` (a `TutorLanguage` code or `auto`). Whisper listens in the
    /// child's language when it writes it; Chichewa and Zulu children ask in English or Swahili, so for them (and
    /// for `auto`) it detects the language among `candidates`.
    public static func transcriptionOptions(language: String, candidates: [String]) -> TranscriptionOptions {
        let heard = TutorLanguage.named(language).map(\.isRecognized) == true ? language : nil
        var options = TranscriptionOptions(language: heard)
        if heard == nil { options.candidateLanguages = candidates }
        // The question's audio ends where the child's silence begins: without silence after it, Whisper drops the
        // last word.
        options.appendedSilenceMilliseconds = TranscriptionOptions.questionSilenceMilliseconds
        return options
    }

    /// Answers `question`; `speak(sentence, language)` returns false once the answer was cancelled. A lesson request
    /// (see `KioskLessons`) names the lesson to play in the result instead, or says kindly that there is none.
    ///
    /// Throws only when the question cannot be understood at all (the recognizer failed); `cancellation` stops the
    /// work between stages and the model within a token.
    public func answer(
        _ question: Question, cancellation: GenerationCancellation, timings: inout PipelineTimings,
        speak: (String, String) -> Bool
    ) throws -> WrittenAnswer {
        var written = WrittenAnswer()
        let clock = ContinuousClock()
        var start = clock.now
        func lap() -> Double {
            let now = clock.now
            defer { start = now }
            return (now - start).milliseconds
        }
        var answer: TutorAnswer
        switch question {
        case .text(let text):
            written.question = text
            answer = answerer.answer(text, replyingIn: options.language)
            timings.retrieveMilliseconds = lap()
        case .audio(let audio):
            (written.question, answer) = try recognizeAndRetrieve(audio, timings: &timings, lap: lap)
        }
        written.language = answer.language
        written.topicID = answer.topicID
        guard !cancellation.isCancelled else { return written }

        let writeStart = clock.now
        var firstSentence = true
        func say(_ sentence: String) {
            if firstSentence {
                timings.firstSentenceMilliseconds = (clock.now - writeStart).milliseconds
                firstSentence = false
            }
            written.sentences.append(sentence)
            _ = speak(sentence, answer.language)
        }
        if let lessons, KioskLessons.isRequest(written.question, language: options.language) {
            written.authorship = "lesson"
            // The retrieval's language is the one Whisper heard (typed text: the child's, or detected for `auto`).
            // Whisper base writes a Swahili request as garbled syllables: its audio is scored against the lessons'
            // request phrasings when the transcript finds none.
            var scorer: WhisperPhraseScorer?
            if case .audio(let audio) = question, options.language != "en", let multilingualRecognizer {
                scorer = WhisperPhraseScorer(recognizer: multilingualRecognizer, samples: audio.samples)
            }
            if let lesson = lessons.find(
                written.question, language: answer.retrieval.language, kioskLanguage: options.language, scorer: scorer)
            {
                written.lessonTitle = lesson.title.text
                written.lessonAudio = lessons.library.url(of: lesson.audioFile)
            } else {
                say(KioskLessons.noLessonReply(language: answer.language))
            }
            timings.writeMilliseconds = (clock.now - writeStart).milliseconds
            return written
        }
        if let safety = answer.safety { say(safety) }
        let useModel = answer.language == "en" && answer.kind == .curated && !options.curatedOnly
        if useModel, let generator, let topicID = answer.topicID,
            let topic = answerer.curriculum.topic(topicID, language: "en")
        {
            var model = ModelAnswerGenerator(generator: generator)
            model.maximumTokens = options.maximumAnswerTokens
            model.cancellation = cancellation
            let bodyStart = written.sentences.count
            // The model calls back only during `write`, so `say` does not really escape.
            withoutActuallyEscaping(say) { say in
                model.onAccepted = say
                do {
                    let grounded = try GroundedAnswerWriter().write(
                        question: written.question, topic: topic, safety: answer.safety, generator: &model)
                    written.authorship = "\(grounded.authorship)"
                    written.rejectedSentence = grounded.failure.map { "\($0.sentence) (\($0.reason))" }
                    // The accepted model sentences were said as they came; the curated ones completing them follow.
                    let said = written.sentences.count - bodyStart
                    for sentence in grounded.sentences.dropFirst(said) where !cancellation.isCancelled { say(sentence) }
                } catch {
                    written.modelFailure = "\(error)"
                    timings.modelFailures += 1
                    logger.error("language model failed (\(error)); saying the curated answer")
                    let said = Set(written.sentences)
                    for sentence in AnswerSentences.split(answer.body) where !said.contains(sentence) {
                        if cancellation.isCancelled { break }
                        say(sentence)
                    }
                }
                model.onAccepted = { _ in }
            }
            if let result = model.lastResult {
                timings.modelFirstTokenMilliseconds = result.timeToFirstTokenMilliseconds
                timings.modelTokensPerSecond = result.decodeTokensPerSecond
            }
        } else {
            for sentence in AnswerSentences.split(answer.body) where !cancellation.isCancelled { say(sentence) }
        }
        timings.writeMilliseconds = (clock.now - writeStart).milliseconds
        return written
    }

    /// Whisper, then retrieval; for languages Whisper writes poorly, the topic's question forms are also scored.
    private func recognizeAndRetrieve(
        _ audio: MonoAudio, timings: inout PipelineTimings, lap: () -> Double
    ) throws -> (String, TutorAnswer) {
        let name = Self.recognizerName(language: options.language)
        guard let recognizer = options.language == "en" ? englishRecognizer : multilingualRecognizer else {
            throw PipelineError.recognizerMissing(model: name)
        }
        let transcription = try recognizer.transcribe(
            audio.samples, options: Self.transcriptionOptions(language: options.language, candidates: languages))
        timings.recognizeMilliseconds = lap()
        timings.questionAudioSeconds = audio.durationSeconds
        let language = TutorLanguage.named(transcription.language) != nil ? transcription.language : "en"
        var retrieval = answerer.retriever.retrieve(transcription.text, language: language)
        if language != "en" {
            let scorer = WhisperPhraseScorer(recognizer: recognizer, samples: audio.samples)
            retrieval = try PhraseScoreCombiner(curriculum: answerer.curriculum).combine(retrieval, scorer: scorer)
        }
        timings.retrieveMilliseconds = lap()
        let reply = options.language == TopicRetriever.automaticLanguage ? language : options.language
        return (transcription.text, answerer.answer(transcription.text, retrieval: retrieval, replyingIn: reply))
    }
}

extension Duration {
    /// The duration in milliseconds.
    var milliseconds: Double {
        let parts = components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) * 1e-15
    }
}

import Foundation
import LanguageModel
import Lessons
import Pipeline
import Recognition
import Tutor
import TutorCore

/// Loads what a pipeline needs from the cache and the resource folder, with clear errors.
enum PipelineLoading {
    /// What to load.
    struct Request {
        var answering = AnsweringOptions()
        /// The language model file; nil for the default in the cache.
        var modelPath: String?
        /// When the language model cannot be loaded: true stops with the error, false answers from the curated text
        /// (the kiosk must keep working).
        var modelFailureIsFatal = true
        /// Load Whisper (spoken questions); written ones need none.
        var needsRecognizer = true
        /// The lesson library children may ask for lessons from (the kiosk); nil offers none.
        var lessonLibrary: LessonLibrary?
    }

    /// The answerer with its recognizer and model, each load's milliseconds appended to `laps`.
    static func answerer(_ request: Request, laps: inout [(String, Double)]) throws -> QuestionAnswerer {
        var start = Date()
        func lap(_ name: String) {
            laps.append((name, Date().timeIntervalSince(start) * 1000))
            start = Date()
        }
        let answerer = try TutorResources.answerer()
        lap("load curriculum")
        var english: WhisperRecognizer?
        var multilingual: WhisperRecognizer?
        if request.needsRecognizer {
            let name = QuestionAnswerer.recognizerName(language: request.answering.language)
            do {
                let recognizer = try WhisperRecognizer(
                    model: WhisperModel(path: TranscribeCommand.modelPath(name, cache: nil)))
                if name == "tiny.en" { english = recognizer } else { multilingual = recognizer }
            } catch let error as UserFacingError {
                throw error
            } catch {
                throw UserFacingError("\(error)")
            }
            lap("load whisper \(name)")
        }
        var generator: TextGenerator?
        // The model writes English only.
        if !request.answering.curatedOnly && ["en", TopicRetriever.automaticLanguage].contains(request.answering.language) {
            generator = try languageModel(request)
            if generator != nil { lap("load language model") }
        }
        var lessons: KioskLessons?
        if let library = request.lessonLibrary {
            do {
                lessons = try KioskLessons(library: library, topics: answerer.retriever)
            } catch {
                throw UserFacingError("\(error)")
            }
        }
        return QuestionAnswerer(
            answerer: answerer, englishRecognizer: english, multilingualRecognizer: multilingual,
            generator: generator, options: request.answering, languages: TutorResources.languages, lessons: lessons)
    }

    /// The language model when its file is there and loads; otherwise nil (curated answers) or the error.
    static func languageModel(_ request: Request) throws -> TextGenerator? {
        let path = request.modelPath ?? TutorPaths.defaultLanguageModelFile().path
        guard FileManager.default.fileExists(atPath: path) else {
            let message = "\(path) is missing, so answers are the curated text (run Scripts/setup)"
            if request.modelPath != nil && request.modelFailureIsFatal { throw UserFacingError(message) }
            printError("note: \(message)")
            return nil
        }
        do {
            return try TextGenerator(path: path, contextLength: 1_024)
        } catch {
            if request.modelFailureIsFatal { throw UserFacingError("\(error)") }
            printError("note: the language model failed to load (\(error)); answers are the curated text")
            return nil
        }
    }

    /// The lines `--timings` prints for the loads.
    static func report(_ laps: [(String, Double)]) -> String {
        laps.map { String(format: "%8.0f ms  %@", $0.1, $0.0) }.joined(separator: "\n")
    }
}

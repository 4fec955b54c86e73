import Audio
import Foundation
import Pipeline
import Recognition
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
        modelName = QuestionAnswerer.recognizerName(language: language)
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
        var options = QuestionAnswerer.transcriptionOptions(language: language, candidates: TutorResources.languages)
        options.appendedSilenceMilliseconds = appendedSilenceMilliseconds
        do {
            return try recognizer.transcribe(audio.samples, options: options)
        } catch {
            throw UserFacingError("\(error)")
        }
    }
}

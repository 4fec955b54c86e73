import ArgumentParser
import Audio
import Foundation
import Recognition
import Synthesis
import Tutor
import TutorCore

/// `tutor quiz`: the tutor asks the curriculum's quiz questions, judges the answers and keeps score.
struct QuizCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiz",
        abstract: "Quiz mode: the tutor asks questions, says whether each answer is right, and keeps score.",
        discussion: """
            Questions come from the curriculum's quiz: lines (one topic with --topic, else every topic that has \
            them). Each question is printed and spoken; answers are read one per line from standard input, or, \
            when sound files are given, one file per answer, recognized with Whisper (tiny.en for en, base for \
            sw). A wrong answer gets the right one and the topic's simpler explanation. "say it again" repeats \
            the question.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Spoken answers, one sound file per question, in order (instead of standard input).")
    var answers: [String] = []

    @Option(help: "The language of the quiz: en or sw.")
    var lang = "en"

    @Option(help: "Ask only this topic's questions (a topic id from Curriculum/topics.tsv).")
    var topic: String?

    @Option(help: "Ask at most this many questions.")
    var questions: Int?

    @Flag(help: "Print the questions and replies without speaking them.")
    var noSpeak = false

    @Option(help: "The ALSA playback device.")
    var device = "default"

    func validate() throws {
        guard ["en", "sw"].contains(lang) else { throw ValidationError("--lang must be en or sw (found '\(lang)')") }
        if let questions, questions < 1 {
            throw ValidationError("--questions must be at least 1 (found \(questions))")
        }
    }

    func run() throws {
        global.bootstrapLogging()
        let answerer = try TutorResources.answerer()
        if let topic, !answerer.curriculum.listing.contains(where: { $0.id == topic }) {
            throw UserFacingError("unknown topic '\(topic)': not listed in Curriculum/topics.tsv")
        }
        var conversation = TutorConversation(answerer: answerer)
        let voice = noSpeak ? nil : QuizVoice(language: lang, device: device)
        var reply = conversation.startQuiz(language: lang, topicID: topic, limit: questions)
        say(reply.text, voice: voice)
        let recognizer = answers.isEmpty ? nil : try loadRecognizer()
        var fileIndex = 0
        while conversation.quiz != nil {
            let heard: String
            if let recognizer {
                guard fileIndex < answers.count else {
                    throw UserFacingError(
                        "\(answers.count) answer files for more questions: give one file per question (or --questions)")
                }
                heard = try transcribe(answers[fileIndex], recognizer: recognizer)
                fileIndex += 1
                print("> \(heard)")
            } else {
                guard let line = readLine() else { break }
                heard = line
            }
            guard let next = conversation.answerQuiz(heard) else { break }
            reply = next
            say(reply.text, voice: voice)
        }
        if fileIndex < answers.count {
            printError("note: \(answers.count - fileIndex) answer files were not needed")
        }
    }

    private func say(_ text: String, voice: QuizVoice?) {
        print(text)
        voice?.speak(text)
    }

    private func loadRecognizer() throws -> WhisperRecognizer {
        let name = lang == "en" ? "tiny.en" : "base"
        do {
            return try WhisperRecognizer(model: WhisperModel(path: TranscribeCommand.modelPath(name, cache: nil)))
        } catch let error as UserFacingError {
            throw error
        } catch {
            throw UserFacingError("\(error)")
        }
    }

    private func transcribe(_ file: String, recognizer: WhisperRecognizer) throws -> String {
        do {
            let audio = try SoundFile.readSpeech(URL(fileURLWithPath: file))
            return try recognizer.transcribe(audio.samples, options: TranscriptionOptions(language: lang)).text
                .trimmingCharacters(in: .whitespaces)
        } catch {
            throw UserFacingError("\(file): \(error)")
        }
    }
}

/// The formant voice for quiz turns, played on a device; a voice that cannot load or play is reported once and the
/// quiz goes on in print.
final class QuizVoice {
    private var synthesizer: SpeechSynthesizer?
    private let device: String

    init(language: String, device: String) {
        self.device = PlayCommand.playbackDevice(requested: device)
        do {
            var options = SpeechOptions.default
            options.sampleRateHz = 22_050
            synthesizer = try SpeechSynthesizer(language: Language(code: language), voiceName: "kind", options: options)
        } catch {
            printError("note: cannot speak '\(language)' (\(error)); the quiz is printed only")
        }
    }

    func speak(_ text: String) {
        guard let synthesizer else { return }
        do {
            var samples: [Float] = []
            for sentence in AnswerSentences.split(text) {
                var stream = try synthesizer.stream(sentence)
                while let chunk = stream.next() { samples += chunk.samples }
            }
            _ = try ALSAPlayback.playToEnd(
                MonoAudio(samples: samples, sampleRateHz: synthesizer.options.sampleRateHz), device: device)
        } catch {
            printError("note: cannot play on '\(device)' (\(error)); the quiz is printed only")
            self.synthesizer = nil
        }
    }
}

import ArgumentParser
import Audio
import Foundation
import Lessons
import Tutor
import TutorCore

/// `tutor eval lesson`: how well lessons are heard and found.
struct EvalLessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Measure lessons: a rendered script heard back (recall, the default) or requests finding lessons.",
        subcommands: [EvalLessonRecallCommand.self, EvalLessonRequestsCommand.self],
        defaultSubcommand: EvalLessonRecallCommand.self)
}

/// `tutor eval lesson [recall]`: how much of a rendered script our own recognizer hears.
struct EvalLessonRecallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall",
        abstract:
            "Render a lesson script, transcribe the audio as a recorded lesson is, and report content-word recall.",
        discussion: """
            Content words are the script's spoken words less the language's stop words, compared by stem; recall is \
            the share of distinct ones found in the transcript. Prints tab-separated figures and the words missed.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var speech: SpeechOptionGroup

    @Argument(help: "The lesson script (.md).")
    var script: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    /// Distinct content-word stems of a text.
    static func contentStems(_ text: String, language: String) -> Set<String> {
        let stops = StopWords.list(for: language)
        return Set(
            TextNormalizer.words(text, language: language)
                .filter { !stops.contains($0) && !$0.allSatisfy(\.isNumber) }
                .map { Stemmer.stem($0, language: language) })
    }

    func run() throws {
        global.bootstrapLogging()
        let parsed = try LessonCommand.script(script)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-eval-lesson-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var voice = try LessonVoice(base: speech.synthesizer())
        let audioURL = folder.appendingPathComponent("render.flac")
        let (seconds, rendered) = try LessonRenderCommand.render(parsed, voice: &voice, to: audioURL)
        let started = Date()
        let audio: MonoAudio
        do {
            audio = try SoundFile.readSpeech(audioURL)
        } catch {
            throw UserFacingError("\(error)")
        }
        let heard = try LessonTranscriber(language: speech.lang).analyse(audio).transcript
        let transcribeSeconds = Date().timeIntervalSince(started)
        let wanted = Self.contentStems(rendered.text, language: speech.lang)
        let found = Self.contentStems(heard.text, language: speech.lang)
        let missed = wanted.subtracting(found).sorted()
        let recall = wanted.isEmpty ? 0 : Double(wanted.count - missed.count) / Double(wanted.count)
        if json {
            let object: [String: Any] = [
                "script": script, "language": speech.lang, "voice": speech.voice, "audio_seconds": seconds,
                "transcribe_seconds": transcribeSeconds, "content_words": wanted.count,
                "heard": wanted.count - missed.count, "recall": recall, "missed": missed, "transcript": heard.text,
            ]
            printJSON(object)
            return
        }
        print("script\tlanguage\taudio s\tcontent words\theard\trecall")
        print(
            String(
                format: "%@\t%@\t%.1f\t%d\t%d\t%.3f", script, speech.lang, seconds, wanted.count,
                wanted.count - missed.count, recall))
        print("missed: \(missed.joined(separator: " "))")
        print("transcript: \(heard.text)")
    }
}

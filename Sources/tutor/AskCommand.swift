import ArgumentParser
import Audio
import Foundation
import LanguageModel
import Pipeline
import Tutor
import TutorCore

/// `tutor ask`: a spoken (or written) question in, the spoken answer out.
struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a spoken question (a sound file) or a written one (--text), out loud.",
        discussion: """
            A recording is transcribed with Whisper (tiny.en for --lang en, base otherwise), matched to a \
            curriculum topic (outside English also by scoring the topic's known question forms against the audio), \
            answered (in English the language model writes the answer from the curriculum and every sentence is \
            checked; other languages use the curated text in the child's language), and spoken with the formant voice: played, or written \
            to -o FILE. The safety message comes first when the question touches a danger. It runs through the \
            streaming pipeline: the first sentence is spoken while the model writes the next.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The question as a sound file (WAV, FLAC, OGG; any rate).")
    var file: String?

    @Option(help: "The question as text, instead of a sound file.")
    var text: String?

    @Option(
        help: """
            The child's language: en, sw, ha, yo, hi, ur (asked and answered in it), ny or zu (asked in English or \
            Swahili, answered in Chichewa or Zulu), or auto to detect en or sw.
            """)
    var lang = "auto"

    @Flag(help: "Answer from the curated text only, without the language model.")
    var curated = false

    @Option(help: "The most tokens the language model may write for an answer.")
    var maxAnswerTokens = 160

    @Flag(help: "Print the answer without speaking it.")
    var noSpeak = false

    @Option(name: .shortAndLong, help: "Write the spoken answer to this file (.wav, .flac) instead of playing it.")
    var output: String?

    @Option(help: "Voice name: a file in Voices/ (kind, deep).")
    var voice = "kind"

    @Option(help: "Speaking rate: 1 is normal, 0.8 slower for young children.")
    var rate = 1.0

    @Option(help: "The ALSA playback device.")
    var device = "default"

    @Flag(help: "Print each stage's milliseconds and the time from the end of the question to the first answer audio.")
    var timings = false

    func validate() throws {
        guard lang == TopicRetriever.automaticLanguage || TutorLanguage.named(lang) != nil else {
            let codes = TutorLanguage.codes.joined(separator: ", ")
            throw ValidationError("--lang must be one of \(codes) or auto (found '\(lang)')")
        }
        guard (file == nil) != (text == nil) else {
            throw ValidationError("give the question either as a sound file or with --text, not both")
        }
    }

    func run() throws {
        global.bootstrapLogging()
        var laps: [(String, Double)] = []
        var request = PipelineLoading.Request()
        request.answering.language = lang
        request.answering.curatedOnly = curated
        request.answering.maximumAnswerTokens = maxAnswerTokens
        request.needsRecognizer = file != nil
        let answerer = try PipelineLoading.answerer(request, laps: &laps)

        let question: Question
        if let file {
            let started = Date()
            do {
                question = .audio(try SoundFile.readSpeech(URL(fileURLWithPath: file)))
            } catch {
                throw UserFacingError("\(error)")
            }
            laps.append(("read \(file)", Date().timeIntervalSince(started) * 1000))
        } else {
            question = .text(text ?? "")
        }

        let written: WrittenAnswer
        var figures: PipelineTimings
        if noSpeak {
            figures = PipelineTimings()
            do {
                written = try answerer.answer(question, cancellation: GenerationCancellation(), timings: &figures) {
                    _, _ in true
                }
            } catch {
                throw UserFacingError("\(error)")
            }
        } else {
            (written, figures) = try speak(question, answerer: answerer, laps: &laps)
        }
        if global.verbose || timings {
            printError("heard: \(written.question)")
            printError("topic: \(written.topicID ?? "none") (\(written.language)); answer: \(written.authorship)")
            if let rejected = written.rejectedSentence { printError("model sentence rejected: \(rejected)") }
            if let failure = written.modelFailure { printError("language model failed: \(failure)") }
        }
        if noSpeak { print(written.sentences.joined(separator: " ")) }
        if timings {
            printError(PipelineLoading.report(laps))
            printError(figures.report)
            if file != nil { printError("(offline: the whole file is the question, so no endpointing wait)") }
        }
    }

    /// The answer through the streaming graph: the first sentence is heard while the rest is written.
    private func speak(
        _ question: Question, answerer: QuestionAnswerer, laps: inout [(String, Double)]
    ) throws
        -> (WrittenAnswer, PipelineTimings)
    {
        let recording = output.map { _ in RecordingOutput() }
        var speaker: SpeakerOutput?
        if recording == nil {
            let target = PlayCommand.playbackDevice(requested: device)
            if target != device {
                printError("no sound card: playing to ALSA's '\(target)' device instead of '\(device)'")
            }
            // A one-shot command says what is wrong with the device rather than wait for it forever.
            if case .failure(let error) = AudioDevices.probe(target, direction: .playback) {
                throw UserFacingError("\(error)")
            }
            speaker = SpeakerOutput(device: target)
        }
        var speaking = SpeakingOptions()
        speaking.voice = voice
        speaking.rate = rate
        let graph = AnsweringGraph(answerer: answerer, output: recording ?? speaker!, speaking: speaking)
        defer { graph.stop() }
        let started = Date()
        do {
            try graph.prepareVoice(language: lang == "auto" ? "en" : lang)
        } catch {
            throw UserFacingError("\(error)")
        }
        laps.append(("load voice", Date().timeIntervalSince(started) * 1000))
        // From here on the whole question is in hand: a live pipeline is at this point when the child stops.
        let job = graph.submit(question)
        job.commit(speechEnd: Date())
        _ = job.waitUntilDone(timeoutSeconds: 3_600)
        if let error = job.error { throw UserFacingError("\(error)") }
        let written = job.answer ?? WrittenAnswer()
        print(written.sentences.joined(separator: " "))
        if let recording, let output {
            let audio = recording.audio(defaultRateHz: speaking.sampleRateHz)
            do {
                try SoundFile.write(audio, to: URL(fileURLWithPath: output))
            } catch {
                throw UserFacingError("\(error)")
            }
            printError(String(format: "wrote %.1f s of speech to %@", audio.durationSeconds, output))
        }
        if let lastError = speaker?.playback.lastError { throw UserFacingError("\(lastError)") }
        return (written, job.timings)
    }
}

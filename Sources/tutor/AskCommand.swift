import ArgumentParser
import Audio
import Foundation
import LanguageModel
import Recognition
import Synthesis
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
            checked; other languages use the curated text in the child's language), and spoken with the formant \
            voice: played, or written to -o FILE. The safety message comes first when the question touches a danger.
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
        var clock = StageClock()
        let answerer = try TutorResources.answerer()
        clock.lap("load curriculum")

        var question = text ?? ""
        var answer: TutorAnswer
        if let file {
            let audio = try SpokenRequestRecognizer.read(file)
            clock.lap("read \(String(format: "%.1f", audio.durationSeconds)) s of audio")
            // From here on the whole question is in hand: a live pipeline is at this point when the child stops.
            clock.markEndOfQuestion()
            (question, answer) = try recognizeAndRetrieve(audio, answerer: answerer, clock: &clock)
        } else {
            clock.markEndOfQuestion()
            answer = answerer.answer(question, replyingIn: lang)
            clock.lap("retrieve")
        }

        var sentences = [answer.safety].compactMap { $0 } + AnswerSentences.split(answer.body)
        var authorship = "curated"
        if answer.language == "en", answer.kind == .curated, !curated, let topicID = answer.topicID,
            let topic = answerer.curriculum.topic(topicID, language: "en"),
            let generator = try TutorResources.languageModel()
        {
            clock.lap("load language model")
            var model = ModelAnswerGenerator(generator: generator)
            model.maximumTokens = maxAnswerTokens
            let grounded = try GroundedAnswerWriter().write(
                question: question, topic: topic, safety: answer.safety, generator: &model)
            sentences = [grounded.safety].compactMap { $0 } + grounded.sentences
            authorship = "\(grounded.authorship)"
            if let failure = grounded.failure {
                printError("model sentence rejected (\(failure.reason)): \(failure.sentence)")
            }
            let detail = model.lastResult.map {
                String(
                    format: "first token %.0f ms, %.0f tokens/s", $0.timeToFirstTokenMilliseconds,
                    $0.decodeTokensPerSecond)
            }
            clock.lap("write answer (\(authorship)\(detail.map { ", " + $0 } ?? ""))")
        }
        if global.verbose || timings {
            printError("heard: \(question)")
            printError("topic: \(answer.topicID ?? "none") (\(answer.language)); answer: \(authorship)")
        }
        print(sentences.joined(separator: " "))

        if !noSpeak {
            try speak(sentences, language: answer.language, clock: &clock)
        }
        if timings { printError(clock.report) }
    }

    /// Whisper, then retrieval; for languages Whisper writes poorly, the topic's question forms are also scored.
    private func recognizeAndRetrieve(
        _ audio: MonoAudio, answerer: TutorAnswerer, clock: inout StageClock
    ) throws
        -> (String, TutorAnswer)
    {
        let spoken = try SpokenRequestRecognizer(language: lang)
        clock.lap("load whisper \(spoken.modelName)")
        let transcription = try spoken.transcribe(audio)
        let t = transcription.timings
        clock.lap(
            String(
                format: "recognize (mel %.0f, encoder %.0f, decoder %.0f ms)", t.melMilliseconds,
                t.encoderMilliseconds, t.decoderMilliseconds))
        let language = TutorLanguage.named(transcription.language) != nil ? transcription.language : "en"
        var retrieval = answerer.retriever.retrieve(transcription.text, language: language)
        clock.lap("retrieve")
        if language != "en" {
            let scorer = WhisperPhraseScorer(recognizer: spoken.recognizer, samples: audio.samples)
            retrieval = try PhraseScoreCombiner(curriculum: answerer.curriculum).combine(retrieval, scorer: scorer)
            clock.lap("score known question forms")
        }
        let replyLanguage = lang == TopicRetriever.automaticLanguage ? language : lang
        return (
            transcription.text, answerer.answer(transcription.text, retrieval: retrieval, replyingIn: replyLanguage)
        )
    }

    /// Speaks sentence by sentence; the first chunk's time is the headline figure.
    private func speak(_ sentences: [String], language code: String, clock: inout StageClock) throws {
        let synthesizer: SpeechSynthesizer
        do {
            var options = SpeechOptions.default
            options.sampleRateHz = 22_050
            options.prosody.rate = rate
            synthesizer = try SpeechSynthesizer(language: Language(code: code), voiceName: voice, options: options)
        } catch {
            printError("note: cannot speak '\(code)' yet (\(error)); the answer was printed only")
            return
        }
        clock.lap("load voice")
        var samples: [Float] = []
        for sentence in sentences {
            var stream = try synthesizer.stream(sentence)
            while let chunk = stream.next() {
                if samples.isEmpty { clock.markFirstAudio() }
                samples += chunk.samples
            }
        }
        clock.lap("synthesize")
        let audio = MonoAudio(samples: samples, sampleRateHz: synthesizer.options.sampleRateHz)
        if let output {
            do {
                try SoundFile.write(audio, to: URL(fileURLWithPath: output))
            } catch {
                throw UserFacingError("\(error)")
            }
            printError(String(format: "wrote %.1f s of speech to %@", audio.durationSeconds, output))
            return
        }
        let target = PlayCommand.playbackDevice(requested: device)
        if target != device { printError("no sound card: playing to ALSA's '\(target)' device instead of '\(device)'") }
        do {
            _ = try ALSAPlayback.playToEnd(audio, device: target)
        } catch {
            throw UserFacingError("\(error)")
        }
        clock.lap("play")
    }
}

/// Milliseconds per stage, and the headline: from the end of the question to the first sample of the answer.
struct StageClock {
    private var last = Date()
    private var endOfQuestion: Date?
    private var firstAudio: Date?
    private var laps: [(String, Double)] = []

    /// Closes the current stage under `name`.
    mutating func lap(_ name: String) {
        let now = Date()
        laps.append((name, now.timeIntervalSince(last) * 1000))
        last = now
    }

    mutating func markEndOfQuestion() { endOfQuestion = Date() }
    mutating func markFirstAudio() { if firstAudio == nil { firstAudio = Date() } }

    var report: String {
        var lines = laps.map { String(format: "%8.0f ms  %@", $0.1, $0.0) }
        if let endOfQuestion, let firstAudio {
            lines.append(
                String(
                    format: "%8.0f ms  end of question to first answer sample (offline: no endpointing wait)",
                    firstAudio.timeIntervalSince(endOfQuestion) * 1000))
        }
        return lines.joined(separator: "\n")
    }
}

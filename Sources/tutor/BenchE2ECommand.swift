import ArgumentParser
import Audio
import Foundation
import Pipeline
import TutorCore

/// A spoken question with its labelled speech end, from Samples/samples.tsv.
struct LabelledQuestion {
    var file: URL
    var language: String
    /// The last speech sample, seconds from the start of the file.
    var speechEndSeconds: Double

    /// The questions of `language` in Samples/samples.tsv (`file, language, voice, wpm, start, end, text`).
    static func load(language: String) throws -> [LabelledQuestion] {
        let folder = TutorPaths.resourceDirectory().appendingPathComponent("Samples")
        let path = folder.appendingPathComponent("samples.tsv").path
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw UserFacingError("\(path): cannot read: \(error.localizedDescription)")
        }
        var questions: [LabelledQuestion] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 7, let end = Double(fields[5]) else {
                throw UserFacingError("\(path):\(number + 1): expected 7 tab-separated fields with a speech end")
            }
            if fields[1] == language {
                questions.append(
                    LabelledQuestion(
                        file: folder.appendingPathComponent(fields[0]), language: fields[1], speechEndSeconds: end))
            }
        }
        return questions
    }
}

/// `tutor bench e2e` and `tutor bench soak`: spoken questions through the whole live pipeline.
struct BenchE2ECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "Replay the labelled spoken questions through the virtual microphone in real time.",
        discussion: """
            Each question in Samples/samples.tsv of the language is played into ALSA's capture path in real time with \
            a second of silence after it, through Silero VAD, the endpointer, Whisper, the tutor and the language \
            model, the sentence queue and the formant voice, to ALSA's null device. The headline is from the \
            labelled last speech sample to the first answer sample handed to the speaker. Prints p50 and p90, the \
            real-time factors and peak RSS. Build in release first.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "en (Whisper tiny.en and the language model) or sw (Whisper base, curated answers).")
    var lang = "en"
    @Option(help: "Play every question this many times.")
    var repeats = 1
    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard ["en", "sw"].contains(lang) else { throw ValidationError("--lang must be en or sw (found '\(lang)')") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
    }

    func run() throws {
        global.bootstrapLogging()
        let questions = try LabelledQuestion.load(language: lang)
        let bench = try LiveBench(language: lang)
        var results: [LiveBench.Result] = []
        for _ in 0..<repeats {
            for question in questions {
                let result = try bench.ask(question, pacing: .realTime)
                results.append(result)
                if !json {
                    let headline = result.headlineMilliseconds.map { String(format: "%6.0f ms", $0) } ?? "  none"
                    let topic = result.topic ?? "-"
                    print("\(headline)  \(question.file.lastPathComponent)  \(topic)  heard: \(result.heard)")
                }
            }
        }
        bench.report(results, json: json, title: "e2e \(lang)")
    }
}

/// `tutor bench soak`: many questions faster than real time; failures, memory growth, drops and xruns.
struct BenchSoakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Ask many spoken questions faster than real time and report failures, RSS growth, drops and xruns.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "How many questions to ask (the English samples in turn).")
    var questions = 200
    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        global.bootstrapLogging()
        let samples = try LabelledQuestion.load(language: "en")
        guard !samples.isEmpty else { throw UserFacingError("Samples/samples.tsv has no English questions") }
        let bench = try LiveBench(language: "en")
        var results: [LiveBench.Result] = []
        var rssAfterWarmUp = 0.0
        for index in 0..<max(1, questions) {
            results.append(try bench.ask(samples[index % samples.count], pacing: .asFastAsPossible))
            // Every question once first: each allocates its own sizes of buffers (audio length, prompt length).
            if index == min(questions, samples.count) - 1 { rssAfterWarmUp = ProcessMemory.currentResidentMegabytes }
        }
        let growth = ProcessMemory.currentResidentMegabytes - rssAfterWarmUp
        // A failure is a question the pipeline did not answer; an answer off the topic is the recognizer's miss.
        let failures = results.filter(\.failed).count
        let offTopic = results.filter { !$0.failed && $0.topic == nil }.count
        if json {
            printJSON([
                "questions": results.count, "failures": failures, "answered_without_a_topic": offTopic,
                "rss_growth_mb": growth,
                "peak_rss_mb": ProcessMemory.peakResidentMegabytes,
                "dropped_mic_frames": results.map(\.timings.droppedMicrophoneFrames).reduce(0, +),
                "xruns": results.map(\.timings.xruns).reduce(0, +),
            ])
            return
        }
        print(
            "soak: \(results.count) questions, \(failures) failures (not answered), "
                + "\(offTopic) answered without a topic (misheard)")
        print(
            String(
                format: "RSS after one of each question %.1f MB, growth since %.1f MB, peak %.1f MB", rssAfterWarmUp,
                growth, ProcessMemory.peakResidentMegabytes))
        print(
            "dropped mic frames \(results.map(\.timings.droppedMicrophoneFrames).reduce(0, +)), "
                + "xruns \(results.map(\.timings.xruns).reduce(0, +)), "
                + "reopens \(results.map(\.timings.deviceReopens).reduce(0, +))")
    }
}

/// One loaded pipeline asked question after question through a fresh virtual microphone each time.
final class LiveBench {
    struct Result {
        var headlineMilliseconds: Double?
        var topic: String?
        var heard = ""
        var failed: Bool
        var timings: PipelineTimings
    }

    let graph: AnsweringGraph
    let vad: SileroVAD
    let language: String
    let playbackCounters = AudioCounters()

    init(language: String) throws {
        self.language = language
        var request = PipelineLoading.Request()
        request.answering.language = language
        request.answering.curatedOnly = language != "en"
        var laps: [(String, Double)] = []
        let answerer = try PipelineLoading.answerer(request, laps: &laps)
        var playback = PlaybackOptions.default
        // The null device would take the answer at once; held to real time, it plays it at the speaker's pace.
        playback.holdsUnpacedDevicesToRealTime = false
        graph = AnsweringGraph(
            answerer: answerer, output: SpeakerOutput(device: "null", options: playback, counters: playbackCounters))
        do {
            try graph.prepareVoice(language: language)
            vad = try SileroVAD.load()
        } catch {
            throw UserFacingError("\(error)")
        }
    }

    /// Plays `question` and a second of silence into the virtual microphone and listens until it is answered.
    func ask(_ question: LabelledQuestion, pacing: CapturePacing) throws -> Result {
        let audio: InterleavedAudio
        do {
            audio = try SoundFile.read(question.file)
        } catch {
            throw UserFacingError("\(error)")
        }
        var padded = audio
        padded.samples += [Float](repeating: 0, count: audio.sampleRateHz * audio.channelCount)
        var options = CaptureOptions.default
        options.ringCapacityMilliseconds = Int(padded.durationSeconds * 1000) + 1000
        let microphone = try VirtualMicrophone(audio: padded, pacing: pacing, options: options)
        let loop = ListeningLoop(graph: graph, endpointDetector: vad, bargeInDetector: vad)
        var jobs: [AnswerJob] = []
        loop.onEvent = { if case .questionEnded(let job, _) = $0 { jobs.append(job) } }
        let xrunsBefore = playbackCounters.xruns
        microphone.start()
        loop.run(microphone: microphone.ring)
        microphone.stop()
        guard let job = jobs.last else {
            return Result(headlineMilliseconds: nil, topic: nil, failed: true, timings: PipelineTimings())
        }
        var timings = job.timings
        timings.droppedMicrophoneFrames = microphone.counters.droppedFrames
        timings.xruns = microphone.counters.xruns + playbackCounters.xruns - xrunsBefore
        timings.deviceReopens = microphone.counters.reopens
        let labelledEnd = Int(question.speechEndSeconds * Double(speechSampleRateHz))
        let headline = job.firstAnswerSampleTime.flatMap { loop.sampleIndex(at: $0) }.map {
            ($0 - Double(labelledEnd)) * 1000 / Double(speechSampleRateHz)
        }
        return Result(
            headlineMilliseconds: headline, topic: job.answer?.topicID, heard: job.answer?.question ?? "",
            failed: job.error != nil || jobs.count != 1 || job.answer?.sentences.isEmpty != false,
            timings: timings)
    }

    /// p50, p90, real-time factors and peak RSS.
    func report(_ results: [Result], json: Bool, title: String) {
        let headlines = results.compactMap(\.headlineMilliseconds).sorted()
        func percentile(_ p: Double) -> Double {
            headlines.isEmpty
                ? .nan : headlines[min(headlines.count - 1, Int((Double(headlines.count - 1) * p).rounded()))]
        }
        let recognize = results.map(\.timings.recognizeMilliseconds).reduce(0, +) / 1000
        let heard = results.map(\.timings.questionAudioSeconds).reduce(0, +)
        let synthesize = results.map(\.timings.synthesizeMilliseconds).reduce(0, +) / 1000
        let spoken = results.map(\.timings.answerAudioSeconds).reduce(0, +)
        let firstToken = results.map(\.timings.modelFirstTokenMilliseconds).filter { $0 > 0 }.sorted()
        let answered = results.filter { $0.topic != nil }.count
        if json {
            printJSON([
                "bench": title, "questions": results.count, "answered_on_topic": answered,
                "p50_ms": percentile(0.5), "p90_ms": percentile(0.9),
                "recognize_rtf": heard > 0 ? recognize / heard : 0,
                "synthesize_rtf": spoken > 0 ? synthesize / spoken : 0,
                "peak_rss_mb": ProcessMemory.peakResidentMegabytes,
                "preemptive_starts": results.filter(\.timings.startedPreemptively).count,
            ])
            return
        }
        print(
            String(
                format:
                    "%@: %d questions, %d on a topic; end of speech to first answer sample p50 %.0f ms, p90 %.0f ms",
                title, results.count, answered, percentile(0.5), percentile(0.9)))
        print(
            String(
                format: "recognize %.3f x real time, synthesize %.4f x real time%@; peak RSS %.0f MB",
                heard > 0 ? recognize / heard : 0, spoken > 0 ? synthesize / spoken : 0,
                firstToken.isEmpty
                    ? "" : String(format: ", model first token p50 %.0f ms", firstToken[firstToken.count / 2]),
                ProcessMemory.peakResidentMegabytes))
        print("preemptive starts \(results.filter(\.timings.startedPreemptively).count) of \(results.count)")
    }
}

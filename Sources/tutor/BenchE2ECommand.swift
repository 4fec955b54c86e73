import ArgumentParser
import Audio
import Foundation
import Pipeline
import TutorCore

/// A spoken question with its labelled speech end, from Samples/samples.tsv or Evaluation/asr/speech-labels.tsv.
struct LabelledQuestion {
    /// Where the labelled questions come from.
    enum Set: String, CaseIterable {
        /// Samples/samples.tsv: `file, language, voice, wpm, start, end, text`.
        case samples
        /// The recognizer's test set, Evaluation/asr/speech-labels.tsv: `file, language, start, end`.
        case asr

        /// The label file, and the 0-based fields of the language and the speech end.
        var labels: (path: String, fieldCount: Int, endField: Int) {
            switch self {
            case .samples: ("Samples/samples.tsv", 7, 5)
            case .asr: ("Evaluation/asr/speech-labels.tsv", 4, 3)
            }
        }
    }

    var file: URL
    var language: String
    var set: Set
    /// The last speech sample, seconds from the start of the file.
    var speechEndSeconds: Double

    /// The questions of `language` in `set`'s label file; files are found beside it.
    static func load(
        _ set: Set, language: String, resources: URL = TutorPaths.resourceDirectory()
    ) throws -> [LabelledQuestion] {
        let labels = resources.appendingPathComponent(set.labels.path)
        let folder = labels.deletingLastPathComponent()
        return try dataLines(of: labels).compactMap { number, line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let place = "\(labels.path):\(number)"
            guard fields.count >= set.labels.fieldCount else {
                throw UserFacingError(
                    "\(place): expected \(set.labels.fieldCount) tab-separated fields, found \(fields.count)")
            }
            let endText = fields[set.labels.endField]
            guard let end = Double(endText), end.isFinite, end >= 0 else {
                throw UserFacingError("\(place): speech end '\(endText)' is not a number of seconds")
            }
            guard fields[1] == language else { return nil }
            return LabelledQuestion(
                file: folder.appendingPathComponent(fields[0]), language: fields[1], set: set, speechEndSeconds: end)
        }
    }
}

/// `tutor bench e2e` and `tutor bench soak`: spoken questions through the whole live pipeline.
struct BenchE2ECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "Replay the labelled spoken questions through the virtual microphone in real time.",
        discussion: """
            Each labelled question of the language (Samples/samples.tsv, and the synthetic questions of the \
            recognizer's test set with Evaluation/asr/speech-labels.tsv) is played into ALSA's capture path in real \
            time with \
            a second of silence after it, through Silero VAD, the endpointer, Whisper, the tutor and the language \
            model, the sentence queue and the formant voice, to ALSA's null device. The headline is from the \
            labelled last speech sample to the first answer sample handed to the speaker. Prints p50 and p90 over all \
            and per set, the real-time factors and peak RSS. Build in release first.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "en (Whisper tiny.en and the language model) or sw (Whisper base, curated answers).")
    var lang = "en"
    @Option(help: "Play every question this many times.")
    var repeats = 1
    @Option(help: "The questions: samples (Samples/samples.tsv), asr (Evaluation/asr's synthetic questions) or all.")
    var set = "all"
    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard ["en", "sw"].contains(lang) else { throw ValidationError("--lang must be en or sw (found '\(lang)')") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        guard set == "all" || LabelledQuestion.Set(rawValue: set) != nil else {
            throw ValidationError("--set must be samples, asr or all (found '\(set)')")
        }
    }

    func run() throws {
        global.bootstrapLogging()
        let sets = LabelledQuestion.Set(rawValue: set).map { [$0] } ?? LabelledQuestion.Set.allCases
        let questions = try sets.flatMap { try LabelledQuestion.load($0, language: lang) }
        guard !questions.isEmpty else { throw UserFacingError("no labelled \(lang) questions in --set \(set)") }
        let bench = try LiveBench(language: lang)
        var results: [LiveBench.Result] = []
        for _ in 0..<repeats {
            for question in questions {
                let result = try bench.ask(question, pacing: .realTime)
                results.append(result)
                if !json {
                    let headline = result.headlineMilliseconds.map { String(format: "%6.0f ms", $0) } ?? "  none"
                    let topic = result.topic ?? "-"
                    print(
                        "\(headline)  \(question.set.rawValue)  \(question.file.lastPathComponent)  \(topic)  "
                            + "heard: \(result.heard)")
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
        let samples = try LabelledQuestion.load(.samples, language: "en")
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
        var set = LabelledQuestion.Set.samples
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
            return Result(
                headlineMilliseconds: nil, topic: nil, failed: true, timings: PipelineTimings(), set: question.set)
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
            timings: timings, set: question.set)
    }

    /// The `p`-th fraction (0...1) of the sorted headlines: nearest rank; NaN when there are none.
    static func percentile(_ p: Double, of sortedHeadlines: [Double]) -> Double {
        guard !sortedHeadlines.isEmpty else { return .nan }
        return sortedHeadlines[min(sortedHeadlines.count - 1, Int((Double(sortedHeadlines.count - 1) * p).rounded()))]
    }

    /// p50, p90 over all and per set, real-time factors and peak RSS.
    func report(_ results: [Result], json: Bool, title: String) {
        let headlines = results.compactMap(\.headlineMilliseconds).sorted()
        func percentile(_ p: Double) -> Double { Self.percentile(p, of: headlines) }
        // Per set: name, questions, on a topic, p50, p90.
        let sets = LabelledQuestion.Set.allCases.compactMap { set -> (String, Int, Int, Double, Double)? in
            let ofSet = results.filter { $0.set == set }
            guard !ofSet.isEmpty else { return nil }
            let sorted = ofSet.compactMap(\.headlineMilliseconds).sorted()
            return (
                set.rawValue, ofSet.count, ofSet.filter { $0.topic != nil }.count, Self.percentile(0.5, of: sorted),
                Self.percentile(0.9, of: sorted)
            )
        }
        // JSON has no NaN: a percentile of no answers is null.
        func jsonNumber(_ value: Double) -> Any { value.isNaN ? NSNull() : value }
        let recognize = results.map(\.timings.recognizeMilliseconds).reduce(0, +) / 1000
        let heard = results.map(\.timings.questionAudioSeconds).reduce(0, +)
        let synthesize = results.map(\.timings.synthesizeMilliseconds).reduce(0, +) / 1000
        let spoken = results.map(\.timings.answerAudioSeconds).reduce(0, +)
        let firstToken = results.map(\.timings.modelFirstTokenMilliseconds).filter { $0 > 0 }.sorted()
        let answered = results.filter { $0.topic != nil }.count
        if json {
            printJSON([
                "bench": title, "questions": results.count, "answered_on_topic": answered,
                "p50_ms": jsonNumber(percentile(0.5)), "p90_ms": jsonNumber(percentile(0.9)),
                "sets": Dictionary(
                    uniqueKeysWithValues: sets.map {
                        (
                            $0.0,
                            [
                                "questions": $0.1, "answered_on_topic": $0.2, "p50_ms": jsonNumber($0.3),
                                "p90_ms": jsonNumber($0.4),
                            ]
                        )
                    }),
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
        for (name, count, onTopic, p50, p90) in sets {
            print(
                String(
                    format: "  %@: %d questions, %d on a topic; p50 %.0f ms, p90 %.0f ms", name, count, onTopic, p50,
                    p90))
        }
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

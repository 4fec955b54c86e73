import ArgumentParser
import Audio
import Foundation
import Lessons
import Pipeline
import TutorCore

/// `tutor listen`: the kiosk loop.
struct ListenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "The kiosk: listen all day, answer spoken questions out loud, stop when a child talks over it.",
        discussion: """
            Always-on voice detection (Silero VAD) finds each question; work starts when the child falls silent \
            and is thrown away if they go on. A rising earcon says the box is listening, a soft one that it is \
            thinking; the first sentence is spoken as soon as it is written. A child speaking over the answer \
            stops it (an echo canceller takes the box's own voice out of the microphone first). In a room too noisy \
            for always-on listening, --push-to-talk names a key (a USB keyboard, a foot switch or a big button on \
            a USB encoder) to hold while asking; pressing it also stops an answer. A lost microphone or speaker is \
            opened again when it returns; a failing language model falls back to the curated answer; a full disk \
            stops the usage log, not the tutor. A child may ask for a lesson ("play the lesson about magnets", \
            "cheza somo kuhusu sumaku"): it plays from the lesson library and stops, as an answer does, when \
            the child speaks. Settings come from --config (see Kiosk/kiosk.conf).
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: CaptureSourceOptions

    @Option(help: "The kiosk configuration file (key = value lines; see Kiosk/kiosk.conf).")
    var config: String?

    @Option(help: "The ALSA playback device (overrides the configuration).")
    var playbackDevice: String?

    @Option(help: "Hold a key of this Linux input device (/dev/input/by-id/...-event-kbd) to talk, instead of always-on voice detection (overrides the configuration).")
    var pushToTalk: String?

    @Option(help: "Which key talks: any, space, enter or a Linux key code.")
    var pushToTalkKey: String?

    @Flag(help: "Print each answer's stage timings and counters.")
    var timings = false

    func run() throws {
        global.bootstrapLogging()
        var settings = KioskConfiguration()
        if let config {
            do {
                settings = try KioskConfiguration.load(path: config)
            } catch {
                throw UserFacingError("\(error)")
            }
        }
        var key = settings.pushToTalkKey
        if let pushToTalkKey {
            guard let named = PushToTalkKey(name: pushToTalkKey) else {
                throw UserFacingError(
                    "--push-to-talk-key must be any, space, enter or a Linux key code, found '\(pushToTalkKey)'")
            }
            key = named
        }
        var request = PipelineLoading.Request()
        request.answering.language = settings.language
        request.answering.curatedOnly = settings.curatedOnly
        request.modelPath = settings.modelPath
        request.modelFailureIsFatal = false  // a kiosk answers from the curated text rather than stop
        request.lessonLibrary = LessonLibrary(
            folder: settings.lessonsPath.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? LessonLibrary.defaultFolder())
        var laps: [(String, Double)] = []
        let answerer = try PipelineLoading.answerer(request, laps: &laps)
        let usage: UsageLog?
        do {
            usage = try settings.usageLogPath.map { try UsageLog(path: $0) }
        } catch {
            throw UserFacingError("\(error)")
        }

        let requested = playbackDevice ?? settings.playbackDevice
        let device = PlayCommand.playbackDevice(requested: requested)
        if device != requested { printError("no sound card: playing to ALSA's '\(device)' device") }
        var speaking = SpeakingOptions()
        speaking.voice = settings.voice
        speaking.rate = settings.rate
        speaking.volume = settings.volume
        let graph = AnsweringGraph(answerer: answerer, output: SpeakerOutput(device: device), speaking: speaking)
        defer { graph.stop() }
        let language = settings.language == "auto" ? "en" : settings.language
        let vad: SileroVAD
        do {
            try graph.prepareVoice(language: language)
            vad = try SileroVAD.load()
        } catch {
            throw UserFacingError("\(error)")
        }
        if timings { printError(PipelineLoading.report(laps)) }

        var captureSource = source
        if source.micFile == nil && source.device == "default" { captureSource.device = settings.captureDevice }
        let (capture, keepAlive, name) = try captureSource.start()
        defer {
            capture.stop()
            withExtendedLifetime(keepAlive) {}
        }
        printError("listening on \(name); Ctrl-C to stop")
        let rate = speaking.sampleRateHz
        if let prompt = try? graph.spoken(KioskPrompts.askMe(language), language: language) { graph.playCue(prompt) }
        graph.playCue(Earcons.listening(sampleRateHz: rate))

        let interrupt = InterruptFlag()
        let loop = ListeningLoop(graph: graph, endpointDetector: vad, bargeInDetector: vad)
        let keyDevice = (pushToTalk ?? settings.pushToTalkDevice).map { EvdevPushToTalk(path: $0, key: key) }
        defer { keyDevice?.stop() }
        if let keyDevice {
            loop.pushToTalk = keyDevice
            printError("push-to-talk: hold a key of \(keyDevice.path) to ask")
        }
        var answers = 0
        loop.onEvent = { event in
            switch event {
            case .speechStarted, .bargeIn:
                break
            case .questionEnded(let job, _):
                // Only when the answer is not already coming: an earcon ahead of it would delay it.
                if job.firstAnswerSampleTime == nil { graph.playCue(Earcons.thinking(sampleRateHz: rate)) }
            case .answerFinished(let job):
                answers += 1
                let written = job.answer
                usage?.record(topic: written?.topicID)
                print("\(answers). heard: \(written?.question ?? "?")")
                if let lesson = written?.lessonTitle {
                    print("   played the lesson: \(lesson)")
                } else {
                    print("   said: \(written?.sentences.joined(separator: " ") ?? "")")
                }
                if timings { printError(job.timings.report) }
                graph.playCue(Earcons.listening(sampleRateHz: rate))
            }
        }
        loop.run(microphone: capture.ring) { interrupt.isRaised }
        printError(
            "answered \(answers) questions; barge-ins \(loop.bargeIns), preemptive work discarded "
                + "\(loop.discardedPreemptive); mic: dropped \(capture.counters.droppedFrames) frames, "
                + "xruns \(capture.counters.xruns), reopens \(capture.counters.reopens)")
    }
}

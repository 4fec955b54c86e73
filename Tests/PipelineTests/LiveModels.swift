import Audio
import Foundation
import Recognition
import TutorCore

@testable import Pipeline

/// The real models the live-loop tests run with: Whisper tiny.en and Silero VAD from the cache, curated answers.
enum LiveModels {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let whisperFile = TutorPaths.cacheDirectory().appendingPathComponent("models/whisper-tiny.en.gguf")
    static let sileroFile = TutorPaths.cacheDirectory().appendingPathComponent("models/silero-vad.gguf")

    /// True when the cache holds the models (or must: CI=true makes a missing file fail instead of skipping).
    static let available =
        (FileManager.default.fileExists(atPath: whisperFile.path)
            && FileManager.default.fileExists(atPath: sileroFile.path))
        || ProcessInfo.processInfo.environment["CI"] == "true"

    /// A question from Samples/, 16 kHz mono.
    static func sample(_ name: String) throws -> MonoAudio {
        try SoundFile.readSpeech(repository.appendingPathComponent("Samples/\(name)"))
    }

    /// A listening loop over `output` answering English questions from the curated text, spoken at 16 kHz, and
    /// playing `lessons` when asked.
    static func loop(output: any AnswerAudioOutput, lessons: KioskLessons? = nil) throws -> ListeningLoop<SileroVAD> {
        let tutor = try PipelineResources.tutorAnswerer(root: repository, languages: ["en", "sw"])
        var answering = AnsweringOptions()
        answering.language = "en"
        answering.curatedOnly = true
        let answerer = QuestionAnswerer(
            answerer: tutor, englishRecognizer: try WhisperRecognizer(model: WhisperModel(path: whisperFile.path)),
            multilingualRecognizer: nil, generator: nil, options: answering, lessons: lessons)
        var speaking = SpeakingOptions()
        speaking.sampleRateHz = 16_000
        let graph = AnsweringGraph(
            answerer: answerer, output: output, speaking: speaking, resources: .init(rootDirectory: repository))
        try graph.prepareVoice(language: "en")
        let vad = try SileroVAD.load()
        return ListeningLoop(graph: graph, endpointDetector: vad, bargeInDetector: vad)
    }
}

/// What a live listening loop reported, collected on its thread: the questions it answered and the barge-ins.
final class LoopEvents {
    private(set) var answered: [AnswerJob] = []
    private(set) var bargeIns: [(onset: Int, stopped: Int)] = []

    /// Collects `loop`'s events from now on (it takes the loop's `onEvent`).
    init(_ loop: ListeningLoop<SileroVAD>) {
        loop.onEvent = { [unowned self] event in
            switch event {
            case .questionEnded(let job, _): answered.append(job)
            case .bargeIn(_, let onset, let stopped): bargeIns.append((onset, stopped))
            default: break
            }
        }
    }
}

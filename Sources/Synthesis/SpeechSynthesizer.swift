import Foundation
import TutorCore

/// Options for one synthesizer.
public struct SpeechOptions: Sendable, Equatable {
    /// Output sample rate, Hz: 16,000 (the pipeline's rate) or 22,050 (files for teachers).
    public var sampleRateHz = 22_050
    /// Prosody: rate (0.8 for young children), pauses, lengthening.
    public var prosody = ProsodyOptions.default
    /// Frames per streamed chunk: 10 frames is 50 ms of audio.
    public var chunkFrames = 10

    public init() {}
    public static let `default` = SpeechOptions()
}

/// An utterance analysed and ready to render: the words, their phonemes and the frames.
public struct Utterance: Sendable {
    public var normalizedText: String
    public var phrases: [Phrase]
    /// Words nothing could be said for (other scripts).
    public var skippedWords: [String]
    public var segments: [Segment]
    public var frames: [SynthesisFrame]
}

/// Text to speech for one language and voice: normalize, pronounce, time, render.
///
///     let speaker = try SpeechSynthesizer(language: .swahili, voiceName: "kind")
///     let audio = try speaker.synthesize("Mwanga husafiri kwa kasi sana.")
///
/// Immutable after loading, so one may be shared across threads; each `stream` has its own state.
public struct SpeechSynthesizer: Sendable {
    public let language: Language
    public let voice: Voice
    public let options: SpeechOptions
    public let normalizer: TextNormalizer
    public let pronouncer: Pronouncer
    public let targets: PhonemeTargets
    /// The recorded voice, when the voice file names a diphone database; nil for the formant voice.
    public let diphones: DiphoneVoice?

    /// Loads the language's lexicon and a voice from `Voices/`.
    public init(
        language: Language, voiceName: String = "kind", options: SpeechOptions = .default,
        resources: SynthesisResources = SynthesisResources()
    ) throws {
        let voicesFolder = resources.rootDirectory.appendingPathComponent("Voices")
        let voice = try Voice.load(named: voiceName, folder: voicesFolder)
        let targets = try PhonemeTargets.load(from: voicesFolder.appendingPathComponent(voice.targetsFile))
        let pronouncer = try Pronouncer(language: language, resources: resources)
        let diphones = try voice.diphoneDatabase.map { _ in try DiphoneVoice.load(voice, folder: voicesFolder) }
        try self.init(pronouncer: pronouncer, voice: voice, targets: targets, options: options, diphones: diphones)
    }

    /// Assembles a synthesizer from loaded parts; checks every inventory phoneme has a target.
    public init(
        pronouncer: Pronouncer, voice: Voice, targets: PhonemeTargets, options: SpeechOptions,
        diphones: DiphoneVoice? = nil
    ) throws {
        guard (0.3...3).contains(options.prosody.rate) else {
            throw SynthesisError.invalidOption(name: "rate", value: "\(options.prosody.rate)", expected: "0.3-3")
        }
        _ = try FormantSynthesizer(sampleRateHz: options.sampleRateHz, voice: voice)
        for symbol in pronouncer.inventory.symbols {
            if targets.target(symbol, language: pronouncer.language) == nil {
                throw SynthesisError.invalidLine(
                    path: "Voices/\(voice.targetsFile)", line: 0,
                    reason: "no target for phoneme '\(symbol)' of \(pronouncer.language.rawValue)")
            }
            if let diphones, diphones.phoneMap.phones[symbol] == nil {
                throw SynthesisError.invalidLine(
                    path: diphones.phoneMap.path, line: 0,
                    reason: "no database phone for phoneme '\(symbol)' of \(pronouncer.language.rawValue): "
                        + "this voice does not speak \(pronouncer.language.rawValue)")
            }
        }
        self.diphones = diphones
        self.language = pronouncer.language
        self.voice = voice
        self.options = options
        self.normalizer = TextNormalizer(language: pronouncer.language)
        self.pronouncer = pronouncer
        self.targets = targets
    }

    /// Normalizes, pronounces and times a text; throws `nothingToSay` when no word can be pronounced.
    public func analyse(_ text: String) throws -> Utterance {
        let normalized = normalizer.normalize(text)
        let (phrases, skipped) = pronouncer.phrases(normalized)
        guard phrases.contains(where: { !$0.words.isEmpty }) else { throw SynthesisError.nothingToSay(text: text) }
        let prosody = Prosody(language: language, voice: voice, targets: targets, options: options.prosody)
        let segments = prosody.segments(phrases)
        // A recorded voice renders the segments themselves; formant frames are only for the formant voice.
        let frames =
            diphones == nil ? FrameBuilder.frames(segments, voice: voice, aspirateStops: language == .english) : []
        return Utterance(
            normalizedText: normalized, phrases: phrases, skippedWords: skipped, segments: segments, frames: frames)
    }

    /// A stream that renders the text chunk by chunk: the first chunk is ready long before the last.
    public func stream(_ text: String) throws -> SpeechStream {
        let utterance = try analyse(text)
        if let diphones {
            return SpeechStream(
                utterance: utterance,
                renderer: .diphone(try diphones.renderer(for: utterance.segments, sampleRateHz: options.sampleRateHz)),
                chunkFrames: options.chunkFrames)
        }
        return SpeechStream(
            utterance: utterance,
            renderer: .formant(try FormantSynthesizer(sampleRateHz: options.sampleRateHz, voice: voice)),
            chunkFrames: options.chunkFrames)
    }

    /// The whole text as one buffer.
    public func synthesize(_ text: String) throws -> MonoAudio {
        var stream = try stream(text)
        var samples: [Float] = []
        samples.reserveCapacity(stream.totalSamples)
        while let chunk = stream.next() { samples += chunk.samples }
        return MonoAudio(samples: samples, sampleRateHz: options.sampleRateHz)
    }
}

/// Audio of one utterance rendered on demand, `chunkFrames` 5 ms frames at a time.
public struct SpeechStream: Sequence, IteratorProtocol, Sendable {
    /// What renders the samples: formant frames, or recorded diphones.
    enum Renderer: Sendable {
        case formant(FormantSynthesizer)
        case diphone(DiphoneRenderer)
    }

    public let utterance: Utterance
    private var renderer: Renderer
    private let chunkFrames: Int
    private var position = 0

    init(utterance: Utterance, renderer: Renderer, chunkFrames: Int) {
        self.utterance = utterance
        self.renderer = renderer
        self.chunkFrames = Swift.max(1, chunkFrames)
    }

    /// Samples the whole utterance will have.
    public var totalSamples: Int {
        switch renderer {
        case .formant(let synthesizer): return synthesizer.sampleCount(frames: utterance.frames.count)
        case .diphone(let diphones): return diphones.totalSamples
        }
    }

    /// Diphones the recorded voice's database lacked for this utterance (empty for the formant voice).
    public var missingDiphones: [String] {
        if case .diphone(let diphones) = renderer { return diphones.missingDiphones }
        return []
    }

    /// The next chunk, or nil at the end.
    public mutating func next() -> MonoAudio? {
        switch renderer {
        case .formant(var synthesizer):
            guard position < utterance.frames.count else { return nil }
            let end = Swift.min(position + chunkFrames, utterance.frames.count)
            var samples: [Float] = []
            synthesizer.render(utterance.frames[position..<end], into: &samples)
            position = end
            renderer = .formant(synthesizer)
            return MonoAudio(samples: samples, sampleRateHz: synthesizer.sampleRateHz)
        case .diphone(var diphones):
            let samples = diphones.next(maxSamples: chunkFrames * diphones.sampleRateHz / 200)
            renderer = .diphone(diphones)
            return samples.map { MonoAudio(samples: $0, sampleRateHz: diphones.sampleRateHz) }
        }
    }
}

/// Sentences in, audio chunks out: the synthesizer as a pipeline stage.
public struct SpeechStage: Stage {
    public typealias Input = String
    public typealias Output = MonoAudio
    public let synthesizer: SpeechSynthesizer

    public init(synthesizer: SpeechSynthesizer) { self.synthesizer = synthesizer }

    /// Renders a sentence; a sentence with nothing pronounceable yields no audio rather than an error.
    public mutating func process(_ input: String, into output: inout [MonoAudio]) throws {
        do {
            for chunk in try synthesizer.stream(input) { output.append(chunk) }
        } catch SynthesisError.nothingToSay {
            return
        }
    }

    public mutating func reset() {}
}

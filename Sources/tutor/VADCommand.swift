import ArgumentParser
import Audio
import Dispatch
import Foundation
import TutorCore

/// `tutor vad FILE`: per-window speech probabilities and the utterances the endpointer finds.
struct VADCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vad",
        abstract: "Print per-window speech probabilities and the utterances found in a sound file.",
        discussion: """
            Output is tab-separated: `window <start s> <probability>` per 32 ms window, then \
            `utterance <start s> <end s> <ending>` (the end is the last speech sample), then a `speed` line with \
            the detector's real-time factor (audio seconds per second of computing).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A sound file (any rate; read as 16 kHz mono).")
    var file: String

    @Flag(help: "Use the energy detector instead of Silero VAD.")
    var energy = false

    @Flag(help: "Print only the utterances and the speed, not each window.")
    var quiet = false

    @Option(help: "Silence that ends an utterance, in milliseconds.")
    var hangoverMilliseconds = EndpointOptions.default.hangoverMilliseconds

    mutating func run() throws {
        global.bootstrapLogging()
        let audio: MonoAudio
        do {
            audio = try SoundFile.readSpeech(URL(fileURLWithPath: file))
        } catch {
            throw UserFacingError("\(error)")
        }
        var options = EndpointOptions.default
        options.hangoverMilliseconds = hangoverMilliseconds
        if energy {
            report(audio, detector: EnergyVAD(), options: options)
        } else {
            let weights: SileroVADWeights
            do {
                weights = try SileroVADWeights.load()
            } catch {
                throw UserFacingError("\(error)")
            }
            report(audio, detector: SileroVAD(weights: weights), options: options)
        }
    }

    private func report<D: VoiceActivityDetecting>(_ audio: MonoAudio, detector: D, options: EndpointOptions) {
        var timing = detector
        let started = DispatchTime.now().uptimeNanoseconds
        let probabilities = timing.speechProbabilities(audio.samples)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        if !quiet {
            for (index, probability) in probabilities.enumerated() {
                let start = Double(index * detector.windowSampleCount) / Double(speechSampleRateHz)
                print("window\t\(String(format: "%.3f", start))\t\(String(format: "%.4f", probability))")
            }
        }
        var endpointer = Endpointer(detector: detector, options: options)
        var events: [EndpointEvent] = []
        endpointer.process(audio.samples, into: &events)
        endpointer.flush(into: &events)
        for case .utteranceEnded(let utterance) in events {
            let start = Double(utterance.startSampleIndex) / Double(speechSampleRateHz)
            let end = Double(utterance.endSampleIndex + 1) / Double(speechSampleRateHz)
            print("utterance\t\(String(format: "%.3f", start))\t\(String(format: "%.3f", end))\t\(utterance.ending)")
        }
        let realTimeFactor = audio.durationSeconds / max(seconds, 1e-9)
        print(
            "speed\t\(String(format: "%.1f", realTimeFactor))x real time\t\(probabilities.count) windows in "
                + "\(String(format: "%.1f", seconds * 1000)) ms")
    }
}

import ArgumentParser
import Audio
import Dispatch
import Foundation
import Synchronization
import TutorCore

/// Where captured audio comes from: a device, or a sound file played into ALSA's capture path.
struct CaptureSourceOptions: ParsableArguments {
    @Option(help: "The ALSA capture device: default, hw:1,0, plughw:1,0, ... (see `tutor devices`).")
    var device = "default"

    @Option(help: "Play this sound file into the capture path as a virtual microphone, in real time.")
    var micFile: String?

    @Flag(help: "With --mic-file: play the file in as fast as possible instead of in real time.")
    var fast = false

    /// Starts capturing; the caller reads 16 kHz mono from `ring` and stops it.
    func start() throws -> (capture: ALSACapture, keepAlive: AnyObject?, name: String) {
        if let micFile {
            let url = URL(fileURLWithPath: micFile)
            let audio: InterleavedAudio
            do {
                audio = try SoundFile.read(url)
            } catch {
                throw UserFacingError("\(error)")
            }
            // The whole file fits in the ring so a slow writer never drops any of it.
            var options = CaptureOptions.default
            options.ringCapacityMilliseconds = max(
                options.ringCapacityMilliseconds, Int(audio.durationSeconds * 1000) + 1000)
            let microphone = try VirtualMicrophone(
                audio: audio, pacing: fast ? .asFastAsPossible : .realTime, options: options)
            microphone.start()
            return (microphone.capture, microphone, "virtual microphone playing \(micFile)")
        }
        let capture = ALSACapture(source: .device(device))
        capture.start()
        return (capture, nil, "ALSA device '\(device)'")
    }
}

extension InterleavedAudio {
    var durationSeconds: Double { Double(frameCount) / Double(max(sampleRateHz, 1)) }
}

/// Sets a flag on Ctrl-C or SIGTERM so a recording closes its file cleanly instead of dying mid-write.
///
/// `@unchecked Sendable`: the signal sources are only touched in `init`; the flag itself is atomic.
final class InterruptFlag: @unchecked Sendable {
    private let raised = Atomic<Bool>(false)
    private var sources: [any DispatchSourceSignal] = []

    init() {
        let queue = DispatchQueue(label: "voicetutor.signals")
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [weak self] in self?.raised.store(true, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
    }

    var isRaised: Bool { raised.load(ordering: .relaxed) }
}

/// `tutor record`: records 16 kHz mono to a crash-safe WAV or FLAC file.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record 16 kHz mono from a microphone (or --mic-file) to a WAV or FLAC file.",
        discussion: """
            The file is synced to disk every half second: after a crash or power cut it opens and holds all but \
            the last second. A missing or unplugged device is reported with ALSA's reason and retried until it \
            comes back (or --give-up-after). Ctrl-C stops and closes the file.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: CaptureSourceOptions

    @Option(name: .shortAndLong, help: "The file to write (.flac or .wav).")
    var output: String

    @Option(help: "Stop after this many seconds (default: until Ctrl-C or the end of --mic-file).")
    var seconds: Double?

    @Option(help: "Give up when the device has delivered nothing for this many seconds (default: keep retrying).")
    var giveUpAfter: Double?

    func validate() throws {
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be positive, got \(seconds)") }
        if let giveUpAfter, !(giveUpAfter > 0) {
            throw ValidationError("--give-up-after must be positive, got \(giveUpAfter)")
        }
    }

    func run() throws {
        global.bootstrapLogging()
        let interrupt = InterruptFlag()
        let url = URL(fileURLWithPath: output)
        let writer: SoundFileWriter
        do {
            writer = try SoundFileWriter(url: url, sampleRateHz: speechSampleRateHz, channelCount: 1)
        } catch {
            throw UserFacingError("\(error)")
        }
        let (capture, keepAlive, name) = try source.start()
        defer { withExtendedLifetime(keepAlive) { capture.stop() } }
        printError("recording from \(name) to \(output)" + (source.micFile == nil ? " (Ctrl-C to stop)" : ""))

        let wanted = seconds.map { Int($0 * Double(speechSampleRateHz)) }
        var lastAudio = Date()
        var reportedError: ALSAError?
        var failure: Error?
        while !interrupt.isRaised {
            if let wanted, writer.framesWritten >= wanted { break }
            let room = wanted.map { $0 - writer.framesWritten } ?? speechSampleRateHz / 10
            guard let chunk = capture.ring.read(upTo: min(room, speechSampleRateHz / 10), waitingUpTo: 0.25) else {
                break  // the end of --mic-file
            }
            if chunk.isEmpty {
                if let error = capture.lastError, error != reportedError {
                    printError("\(error); retrying until it comes back")
                    reportedError = error
                }
                if let giveUpAfter, Date().timeIntervalSince(lastAudio) > giveUpAfter {
                    let reason = capture.lastError.map { "\($0)" } ?? "no audio from \(name)"
                    failure = UserFacingError("\(reason); gave up after \(giveUpAfter) s")
                    break
                }
                continue
            }
            if reportedError != nil {
                printError("\(name) is back")
                reportedError = nil
            }
            lastAudio = Date()
            do {
                try writer.append(chunk)
            } catch {
                failure = UserFacingError("\(error)")
                break
            }
        }
        capture.stop()
        do {
            try writer.close()
        } catch {
            throw UserFacingError("\(error)")
        }
        let counters = capture.counters
        printError(
            String(
                format: "recorded %.2f s to %@ (16 kHz mono); dropped %d frames, %d overruns, %d reopens",
                Double(writer.framesWritten) / Double(speechSampleRateHz), output, counters.droppedFrames,
                counters.overruns, counters.reopens))
        if let failure {
            // Nothing was recorded: leave no empty file behind to be mistaken for a recording.
            if writer.framesWritten == 0 { try? FileManager.default.removeItem(at: url) }
            throw failure
        }
    }
}

/// `tutor play`: plays a sound file.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play a sound file (WAV, FLAC, OGG, ...) on a playback device.",
        discussion: "With no sound card and the default device, it plays to ALSA's null device and says so."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The sound file to play.")
    var file: String

    @Option(help: "The ALSA playback device: default, hw:0,0, plughw:0,0, null, ...")
    var device = "default"

    func run() throws {
        global.bootstrapLogging()
        let audio: MonoAudio
        do {
            audio = try SoundFile.read(URL(fileURLWithPath: file)).mixedToMono()
        } catch {
            throw UserFacingError("\(error)")
        }
        let target = Self.playbackDevice(requested: device)
        if target != device { printError("no sound card: playing to ALSA's '\(target)' device instead of '\(device)'") }
        let counters = AudioCounters()
        do {
            let frames = try ALSAPlayback.playToEnd(audio, device: target, counters: counters)
            printError(
                String(
                    format: "played %.2f s of %@ on '%@' (%d device frames, %d underruns)", audio.durationSeconds,
                    file, target, frames, counters.underruns))
        } catch {
            throw UserFacingError("\(error)")
        }
    }

    /// `default` on a machine without a sound card cannot be opened; `null` keeps the command useful there.
    static func playbackDevice(requested: String) -> String {
        guard requested == "default", !AudioDevices.hasSoundCard else { return requested }
        if case .success = AudioDevices.probe(requested, direction: .playback) { return requested }
        return "null"
    }
}

/// `tutor devices`: what ALSA offers.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices", abstract: "List ALSA capture and playback devices and sound cards.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.bootstrapLogging()
        let devices = AudioDevices.list()
        let width = max(12, devices.map(\.name.count).max() ?? 0)
        print("direction  " + "name".padding(toLength: width, withPad: " ", startingAt: 0) + "  description")
        for device in devices {
            let direction: String
            switch device.direction {
            case .capture: direction = "capture "
            case .playback: direction = "playback"
            case .both: direction = "both    "
            }
            let name = device.name.padding(toLength: width, withPad: " ", startingAt: 0)
            print("\(direction)   \(name)  \(device.description)")
        }
        if !AudioDevices.hasSoundCard {
            print(
                """

                No sound card found. Use --mic-file FILE to play a recording in as the microphone; \
                `tutor play` falls back to the 'null' device.
                """)
        }
    }
}

/// Prints a line to standard error (status for people; standard output stays for results).
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

import Foundation
import Testing
import TutorCore

@testable import Audio

#if canImport(Glibc)
import Glibc
#endif

/// A recording killed with SIGKILL must still open, in our reader and in sox, holding all but the last second.
///
/// The recording runs in its own process, `crashing-recorder` (Tests/CrashingRecorder), which kills itself
/// mid-recording; the test then reads the file. Not fork(): a fork while another test thread is inside an OpenBLAS
/// sgemm hung the whole run in CI (OpenBLAS's fork handler joins its workers, one of which never wakes).
@Suite("Sound file writer after a crash", .serialized)
struct SoundFileWriterCrashTests {
    static let sampleRateHz = 16_000
    static let chunkFrames = 1_600  // 100 ms, as a capture thread would hand over (and crashing-recorder does)

    /// The signal the child records: sample i of a 440 Hz tone with a slow rise, distinct everywhere.
    static func expectedSample(_ index: Int) -> Float {
        let time = Double(index) / Double(sampleRateHz)
        return Float(0.5 * sin(2 * Double.pi * 440 * time) * min(1, 0.2 + time / 3))
    }

    @Test(arguments: ["flac", "wav"])
    func aRecordingKilledAfterThreeSecondsKeepsAllButTheLastSecond(fileExtension: String) throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("killed.\(fileExtension)")
        let appended = Self.chunkFrames * 31 + 700  // 3.14 s, ending part way through a FLAC block
        try recordInChildAndKillIt(url: url, frames: appended)

        let audio = try SoundFile.read(url)
        #expect(audio.sampleRateHz == Self.sampleRateHz && audio.channelCount == 1)
        #expect(audio.samples.count >= appended - Self.sampleRateHz, "kept \(audio.samples.count) of \(appended)")
        #expect(audio.samples.count <= appended)
        let expected = (0..<audio.samples.count).map(Self.expectedSample)
        #expect(TestSignals.maximumDifference(audio.samples, expected) <= 1 / 32_768)

        // sox must agree on the length (it trusts the header) and decode without complaint.
        if let soxLength = try Self.run("/usr/bin/soxi", ["-s", url.path]) {
            #expect(Int(soxLength.trimmingCharacters(in: .whitespacesAndNewlines)) == audio.samples.count)
        }
        if let soxOutput = try Self.run("/usr/bin/sox", ["-V2", url.path, "-n", "stat"]) {
            #expect(!soxOutput.contains("FAIL"), "sox said: \(soxOutput)")
        }
    }

    @Test(arguments: ["flac", "wav"])
    func aRecordingKilledBeforeItsFirstSyncStillOpens(fileExtension: String) throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("early.\(fileExtension)")
        try recordInChildAndKillIt(url: url, frames: 300)
        let audio = try SoundFile.read(url)
        #expect(audio.sampleRateHz == Self.sampleRateHz)
        #expect(audio.samples.count <= 300)
        if let soxLength = try Self.run("/usr/bin/soxi", ["-s", url.path]) {
            #expect(Int(soxLength.trimmingCharacters(in: .whitespacesAndNewlines)) == audio.samples.count)
        }
    }

    /// Runs `crashing-recorder`, which records the first `frames` samples of the signal in 100 ms chunks, 5 ms
    /// apart, then SIGKILLs itself; waits at most 30 s for it.
    private func recordInChildAndKillIt(url: URL, frames: Int) throws {
        let signalFile = url.deletingLastPathComponent().appendingPathComponent("signal.wav")
        let signal = MonoAudio(samples: (0..<frames).map(Self.expectedSample), sampleRateHz: Self.sampleRateHz)
        try SoundFile.write(signal, to: signalFile)
        let child = Process()
        child.executableURL = try Self.crashingRecorder()
        child.arguments = [signalFile.path, url.path]
        child.standardInput = FileHandle.nullDevice
        let errorPipe = Pipe()
        child.standardError = errorPipe
        try child.run()
        var waited = 0
        while child.isRunning {
            if waited >= 30_000 {
                child.terminate()
                Issue.record("crashing-recorder did not finish within 30 s")
                return
            }
            usleep(10_000)
            waited += 10
        }
        let said = String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try #require(
            child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL,
            "crashing-recorder ended with status \(child.terminationStatus), expected death by SIGKILL: \(said)")
    }

    /// The fixture program, built beside this test bundle (AudioTests depends on it).
    private static func crashingRecorder() throws -> URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("crashing-recorder")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw CocoaError(
            .fileNoSuchFile, userInfo: [NSFilePathErrorKey: "crashing-recorder beside \(CommandLine.arguments[0])"])
    }

    /// Runs a tool and returns what it printed (stdout and stderr), or nil when the tool is not installed.
    private static func run(_ tool: String, _ arguments: [String]) throws -> String? {
        guard FileManager.default.isExecutableFile(atPath: tool) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) \(arguments.joined(separator: " ")) failed: \(output)")
        return output
    }
}

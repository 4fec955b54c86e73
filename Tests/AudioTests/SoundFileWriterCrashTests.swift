import Foundation
import Testing
import TutorCore

@testable import Audio

#if canImport(Glibc)
import Glibc
#endif

/// A recording killed with SIGKILL must still open, in our reader and in sox, holding all but the last second.
///
/// The recording runs in a child made with fork(), which kills itself mid-recording; the parent then reads the file.
/// The child calls only the writer and `usleep` before `kill`, so it never touches the test runner's state.
@Suite("Sound file writer after a crash", .serialized)
struct SoundFileWriterCrashTests {
    static let sampleRateHz = 16_000
    static let chunkFrames = 1_600  // 100 ms, as a capture thread would hand over

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

    /// Forks a child that records `frames` frames in 100 ms chunks with short pauses, then SIGKILLs itself.
    private func recordInChildAndKillIt(url: URL, frames: Int) throws {
        // Build everything the child needs before forking, and run the writer once here: a forked child has only
        // this thread, so it must not be the first to take the runtime's and libraries' one-time-setup locks,
        // which another test thread might hold at the moment of the fork.
        let signal = (0..<frames).map(Self.expectedSample)
        let rehearsal = try SoundFileWriter(
            url: url.deletingLastPathComponent().appendingPathComponent("rehearsal.\(url.pathExtension)"),
            sampleRateHz: Self.sampleRateHz, channelCount: 1)
        try rehearsal.append(Array(signal[0..<min(Self.chunkFrames, frames)]))
        try rehearsal.sync()
        try rehearsal.close()
        let child = fork()
        try #require(child >= 0, "fork failed: \(String(cString: strerror(errno)))")
        if child == 0 {
            do {
                let writer = try SoundFileWriter(url: url, sampleRateHz: Self.sampleRateHz, channelCount: 1)
                var start = 0
                while start < frames {
                    let end = min(start + Self.chunkFrames, frames)
                    try writer.append(Array(signal[start..<end]))
                    start = end
                    usleep(5_000)
                }
                kill(getpid(), SIGKILL)
            } catch {
                _exit(3)
            }
            _exit(4)
        }
        // Wait at most 30 s: a child stuck on a lock held by another test thread at fork time must not hang the run.
        var status: Int32 = 0
        var waited = 0
        while waitpid(child, &status, WNOHANG) == 0 {
            if waited >= 30_000 {
                kill(child, SIGKILL)
                waitpid(child, &status, 0)
                Issue.record("the recording child did not finish within 30 s")
                return
            }
            usleep(10_000)
            waited += 10
        }
        // WIFSIGNALED / WTERMSIG are macros Swift cannot see: the low 7 bits hold the signal, 0 for a normal exit.
        let terminatingSignal = status & 0x7F
        try #require(terminatingSignal == SIGKILL, "child ended with status \(status), expected death by SIGKILL")
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

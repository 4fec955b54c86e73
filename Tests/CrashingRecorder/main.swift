// A test fixture program: records samples to a sound file the way a capture thread does, then kills itself with
// SIGKILL, so SoundFileWriterCrashTests can read what a crash leaves behind.
//
//     crashing-recorder SIGNAL.wav OUTPUT.flac|OUTPUT.wav
//
// SIGNAL.wav's samples (mono) are appended at its sample rate in 100 ms chunks, 5 ms apart;
// after the last chunk the program sends itself SIGKILL without closing the file. It runs as its own process
// (spawned, not forked from the test runner: a fork() while another test thread is inside OpenBLAS hangs both).
import Audio
import Foundation

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: crashing-recorder SIGNAL.wav OUTPUT.flac|OUTPUT.wav\n".utf8))
    exit(2)
}
do {
    let signal = try SoundFile.read(URL(fileURLWithPath: arguments[1])).mixedToMono()
    let samples = signal.samples
    let writer = try SoundFileWriter(
        url: URL(fileURLWithPath: arguments[2]), sampleRateHz: signal.sampleRateHz, channelCount: 1)
    let chunkFrames = signal.sampleRateHz / 10
    var start = 0
    while start < samples.count {
        let end = min(start + chunkFrames, samples.count)
        try writer.append(Array(samples[start..<end]))
        start = end
        usleep(5_000)
    }
    kill(getpid(), SIGKILL)
} catch {
    FileHandle.standardError.write(Data("crashing-recorder: \(error)\n".utf8))
    exit(3)
}

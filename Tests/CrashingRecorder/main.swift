// A test fixture program: records samples to a sound file the way a capture thread does, then kills itself with
// SIGKILL, so SoundFileWriterCrashTests can read what a crash leaves behind.
//
//     crashing-recorder SAMPLES.f32 OUTPUT.flac|OUTPUT.wav
//
// SAMPLES.f32 holds 16 kHz mono samples as little-endian Float32. They are appended in 100 ms chunks, 5 ms apart;
// after the last chunk the program sends itself SIGKILL without closing the file. It runs as its own process
// (spawned, not forked from the test runner: a fork() while another test thread is inside OpenBLAS hangs both).
import Audio
import Foundation

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: crashing-recorder SAMPLES.f32 OUTPUT.flac|OUTPUT.wav\n".utf8))
    exit(2)
}
do {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
    let samples = bytes.withUnsafeBytes { raw in
        (0..<bytes.count / 4).map {
            Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
        }
    }
    let writer = try SoundFileWriter(url: URL(fileURLWithPath: arguments[2]), sampleRateHz: 16_000, channelCount: 1)
    let chunkFrames = 1_600
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

import Foundation
import Testing
import TutorCore

@testable import GGUF

/// Mutated files must load or throw a GGUFError; a crash (trap, overflow, out-of-bounds read) fails the run.
@Suite struct GGUFFuzzTests {
    /// Loads `bytes` and, if it loads, touches everything a model loader would.
    static func loadOrThrow(_ bytes: Data) -> Bool {
        do {
            let file = try GGUFFile(bytes: bytes, path: "fuzz.gguf")
            _ = file.summary
            for key in file.metadata.keys {
                if let array = file.metadata[key]?.array {
                    _ = array.values
                    _ = array.strings
                    _ = array.ints
                }
            }
            for tensor in file.tensors {
                _ = tensor.withUnsafeBytes { bytes in bytes.reduce(0) { $0 &+ $1 } }
            }
            return true
        } catch let error as GGUFError {
            _ = error.description
            return false
        } catch {
            Issue.record("unexpected error type \(type(of: error)): \(error)")
            return false
        }
    }

    /// Offsets of the 8-byte counts, lengths and offsets in the small model, where mutations do the most harm.
    static func fieldOffsets(in bytes: Data) -> [Int] {
        var offsets = [8, 16]
        var index = 24
        while index + 8 <= bytes.count {
            offsets.append(index)
            index += 4
        }
        return offsets
    }

    /// Iterations per fuzz test: a few thousand by default; set GGUF_FUZZ_SCALE=100 for a long hunt.
    static let scale = ProcessInfo.processInfo.environment["GGUF_FUZZ_SCALE"].flatMap(Int.init) ?? 1

    static let interestingValues: [UInt64] = [
        0, 1, 2, 7, 8, 31, 32, 33, 255, 256, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 1 << 32, 1 << 40, UInt64(Int.max),
        UInt64(Int.max) + 1, .max, .max - 31,
    ]

    @Test func truncationsAtEveryFewBytesLoadOrThrow() throws {
        let valid = try SmallModel.bytes()
        #expect(GGUFFuzzTests.loadOrThrow(valid))
        var loaded = 0
        for length in stride(from: 0, to: valid.count, by: 3) {
            if GGUFFuzzTests.loadOrThrow(valid.prefix(length)) { loaded += 1 }
        }
        // Only cuts inside the last tensor's padding can still load.
        #expect(loaded < 12)
    }

    @Test func randomBitFlipsLoadOrThrow() throws {
        let valid = try SmallModel.bytes()
        var generator = SplitMix64(seed: 0x6775_6666)
        var refused = 0
        for _ in 0..<2_000 * GGUFFuzzTests.scale {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
            }
            if !GGUFFuzzTests.loadOrThrow(bytes) { refused += 1 }
        }
        // Most flips land in tensor data or string bytes and load; flips in counts, types and offsets are refused.
        #expect(refused > 100)
        #expect(refused < 2_000 * GGUFFuzzTests.scale)
    }

    @Test func randomCountsLengthsAndOffsetsLoadOrThrow() throws {
        let valid = try SmallModel.bytes()
        let offsets = GGUFFuzzTests.fieldOffsets(in: valid)
        var generator = SplitMix64(seed: 42)
        var refused = 0
        for _ in 0..<3_000 * GGUFFuzzTests.scale {
            var bytes = valid
            let offset = offsets.randomElement(using: &generator) ?? 8
            let value =
                Bool.random(using: &generator)
                ? GGUFFuzzTests.interestingValues.randomElement(using: &generator) ?? 0
                : generator.next() >> UInt64.random(in: 0..<64, using: &generator)
            let width = [1, 4, 8].randomElement(using: &generator) ?? 8
            withUnsafeBytes(of: value.littleEndian) { raw in
                for byte in 0..<width where offset + byte < bytes.count {
                    bytes[offset + byte] = raw[byte]
                }
            }
            if Int.random(in: 0..<4, using: &generator) == 0 {
                bytes = bytes.prefix(Int.random(in: 0...bytes.count, using: &generator))
            }
            if !GGUFFuzzTests.loadOrThrow(bytes) { refused += 1 }
        }
        #expect(refused > 1_000 * GGUFFuzzTests.scale)
    }

    @Test func randomInsertionsAndDeletionsLoadOrThrow() throws {
        let valid = try SmallModel.bytes()
        var generator = SplitMix64(seed: 1_234)
        var refused = 0
        for _ in 0..<2_000 * GGUFFuzzTests.scale {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                let length = Int.random(in: 1...16, using: &generator)
                if Bool.random(using: &generator) {
                    bytes.removeSubrange(index..<min(index + length, bytes.count))
                } else {
                    let inserted = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                    bytes.insert(contentsOf: inserted, at: index)
                }
            }
            if !GGUFFuzzTests.loadOrThrow(bytes) { refused += 1 }
        }
        // A shifted byte moves every field after it, so nearly every splice in the header is refused.
        #expect(refused > 500)
    }

    @Test func everyCrashVectorLoadsOrThrowsWithoutCrashing() throws {
        let folder = try #require(Bundle.module.url(forResource: "CrashVectors", withExtension: nil))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".gguf") }
        for name in names.sorted() {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            #expect(!GGUFFuzzTests.loadOrThrow(bytes), "\(name) is malformed and must be refused")
        }
    }
}

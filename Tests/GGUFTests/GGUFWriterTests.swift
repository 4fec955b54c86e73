import Foundation
import Testing
import TutorCore

@testable import GGUF

@Suite struct GGUFWriterTests {
    @Test func roundTripsEveryMetadataTypeThroughTheReader() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("all-types.gguf")
        let values: [(String, GGUFValue)] = [
            ("a.uint8", .uint8(.max)), ("a.int8", .int8(.min)), ("a.uint16", .uint16(.max)), ("a.int16", .int16(.min)),
            ("a.uint32", .uint32(.max)), ("a.int32", .int32(.min)), ("a.uint64", .uint64(.max)),
            ("a.int64", .int64(.min)), ("a.float32", .float32(-0.25)), ("a.float64", .float64(.pi)),
            ("a.bool", .bool(false)), ("a.string", .string("Kwa nini anga ni la buluu? 🌍")),
            ("a.empty_string", .string("")),
            ("a.uint64s", .array(GGUFArray([.uint64(1), .uint64(.max)], elementType: .uint64))),
            ("a.float64s", .array(GGUFArray([.float64(0.5)], elementType: .float64))),
            ("a.empty", .array(GGUFArray([], elementType: .string))),
            (
                "a.nested",
                .array(
                    GGUFArray(
                        [.array(GGUFArray([.array(GGUFArray(strings: ["deep"]))], elementType: .array))],
                        elementType: .array))
            ),
        ]
        let writer = try GGUFWriter(path: path)
        for (key, value) in values { try writer.setMetadata(key, value) }
        try writer.write()

        let file = try GGUFFile(path: path)
        #expect(file.version == 3)
        #expect(file.metadata.keys == values.map(\.0))
        for (key, value) in values {
            #expect(file.metadata[key] == value, "\(key)")
        }
        #expect(file.tensorCount == 0)
    }

    @Test func roundTripsF32F16AndQuantizedTensors() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("tensors.gguf")
        let writer = try GGUFWriter(path: path)
        let weights: [Float] = (0..<96).map { Float($0) * 0.5 - 7 }
        let quantized = Data((0..<(4 * 144)).map { UInt8(truncatingIfNeeded: $0 * 7) })
        try writer.addTensor(name: "f32", shape: [32, 3], float32: weights)
        try writer.addTensor(name: "f16", shape: [96], float16From: weights)
        try writer.addTensor(name: "q4k", type: .q4_K, shape: [512, 2], bytes: quantized)
        try writer.write()

        let file = try GGUFFile(path: path)
        let f32 = try file.requireTensor(named: "f32")
        #expect(f32.type == .f32)
        #expect(f32.shape == [32, 3])
        let readBack = f32.withUnsafeBytes { bytes in
            (0..<96).map { Float(bitPattern: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
        }
        #expect(readBack == weights)
        let f16 = try file.requireTensor(named: "f16")
        #expect(f16.byteCount == 192)
        let halves = f16.withUnsafeBytes { bytes in
            (0..<96).map { Float(Float16(bitPattern: bytes.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) }
        }
        #expect(halves == weights)
        #expect(try file.requireTensor(named: "q4k").data == quantized)
    }

    @Test func float16ConversionRoundsLikeTheStandardLibrary() {
        var generator = SplitMix64(seed: 7)
        var samples: [Float] = [0, -0, 1, -1, 65_504, 65_520, 1e-8, 5.96e-8, 2.98e-8, 6.1e-5, .infinity, -.infinity]
        for _ in 0..<20_000 {
            samples.append(Float(bitPattern: UInt32(truncatingIfNeeded: generator.next())))
        }
        for value in samples where !value.isNaN {
            #expect(GGUFWriter.float16Bits(value) == Float16(value).bitPattern, "\(value)")
        }
        #expect(Float16(bitPattern: GGUFWriter.float16Bits(.nan)).isNaN)
    }

    @Test func streamsTensorsFromAProducerOneAtATime() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("streamed.gguf")
        let writer = try GGUFWriter(path: path, alignment: 64)
        var produced: [String] = []
        for layer in 0..<3 {
            try writer.addTensor(name: "blk.\(layer).w", type: .q8_0, shape: [32, 5]) {
                produced.append("blk.\(layer).w")
                return Data(repeating: UInt8(layer), count: 5 * 34)
            }
        }
        #expect(produced.isEmpty)
        try writer.write()
        #expect(produced == ["blk.0.w", "blk.1.w", "blk.2.w"])
        let file = try GGUFFile(path: path)
        #expect(file.alignment == 64)
        #expect(file.tensorInfos.map(\.offset) == [0, 192, 384])
        #expect(try file.requireTensor(named: "blk.2.w").data == Data(repeating: 2, count: 170))
    }

    @Test func refusesBytesThatDoNotMatchTheShapeAndLeavesNoFileBehind() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("bad.gguf")
        let writer = try GGUFWriter(path: path)
        #expect(
            throws: GGUFError.invalidInput(
                path: path, reason: "tensor 'w' (Q4_1, shape [32, 2]) has 39 bytes, expected 40")
        ) { try writer.addTensor(name: "w", type: .q4_1, shape: [32, 2], bytes: Data(count: 39)) }
        try writer.addTensor(name: "late", type: .f32, shape: [4]) { Data(count: 12) }
        #expect(throws: GGUFError.self) { try writer.write() }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    @Test func refusesDuplicatesMixedArraysPartialBlocksAndLongNames() throws {
        let writer = try GGUFWriter(path: "out.gguf")
        try writer.setMetadata("k", .uint8(1))
        #expect(throws: GGUFError.self) { try writer.setMetadata("k", .uint8(2)) }
        #expect(throws: GGUFError.self) { try writer.setMetadata("general.alignment", .uint32(64)) }
        #expect(
            throws: GGUFError.invalidInput(
                path: "out.gguf", reason: "metadata 'm' is an array of int32 holding a string")
        ) { try writer.setMetadata("m", .array(GGUFArray([.int32(1), .string("x")], elementType: .int32))) }
        #expect(throws: GGUFError.self) { try writer.addTensor(name: "q", type: .q8_0, shape: [40], bytes: Data()) }
        #expect(throws: GGUFError.self) {
            try writer.addTensor(name: String(repeating: "n", count: 64), shape: [1], float32: [0])
        }
        try writer.addTensor(name: "t", shape: [1], float32: [0])
        #expect(throws: GGUFError.invalidInput(path: "out.gguf", reason: "tensor 't' is added twice")) {
            try writer.addTensor(name: "t", shape: [1], float32: [0])
        }
        #expect(throws: GGUFError.self) { try GGUFWriter(path: "out.gguf", alignment: 24) }
    }

    @Test func copiesMetadataReadFromAnotherFile() throws {
        let folder = try TemporaryFolder()
        let source = try GGUFFile(bytes: SmallModel.bytes())
        let path = folder.path("copy.gguf")
        let writer = try GGUFWriter(path: path)
        for key in source.metadata.keys {
            try writer.setMetadata(key, try source.requireValue(key))
        }
        try writer.write()
        let copy = try GGUFFile(path: path)
        for key in source.metadata.keys {
            #expect(copy.metadata[key] == source.metadata[key], "\(key)")
        }
    }
}

import Foundation
import Testing
import TutorCore

@testable import Recognition

@Suite struct CTranslate2ReaderTests {
    static func smallModel() -> CTranslate2Builder {
        var builder = CTranslate2Builder()
        builder.add("encoder/a/weight", shape: [2, 3], float16: [1, 2, 3, 4, 5, 6])
        builder.add("encoder/b/bias", shape: [2], float32: [0.5, -0.25])
        builder.addScalar("encoder/num_heads", int16: 6)
        builder.aliases = [("decoder/tied/weight", "encoder/a/weight")]
        return builder
    }

    @Test func readsVariablesShapesTypesScalarsAndAliasesOfAHandMadeFile() throws {
        let model = try CTranslate2Model(data: Self.smallModel().bytes(), path: "small/model.bin")
        #expect(model.specName == "WhisperSpec")
        #expect(model.specRevision == 3)
        #expect(model.variables.map(\.name) == ["encoder/a/weight", "encoder/b/bias", "encoder/num_heads"])
        #expect(model.variables[0].shape == [2, 3])
        #expect(model.variables[0].dtype == .float16)
        #expect(try model.floats(of: "encoder/a/weight") == [1, 2, 3, 4, 5, 6])
        #expect(try model.floats(of: "encoder/b/bias") == [0.5, -0.25])
        #expect(try model.scalarInt("encoder/num_heads") == 6)
        #expect(model.aliases == ["decoder/tied/weight": "encoder/a/weight"])
        #expect(try model.data(of: "decoder/tied/weight") == model.data(of: "encoder/a/weight"))
    }

    @Test func refusesEveryTruncationWithThePathInTheMessage() throws {
        let bytes = Self.smallModel().bytes()
        for length in 0..<bytes.count {
            do {
                _ = try CTranslate2Model(data: bytes.prefix(length), path: "cut/model.bin")
                Issue.record("a file cut to \(length) of \(bytes.count) bytes was accepted")
            } catch let error as CTranslate2Error {
                #expect(error.path == "cut/model.bin")
                #expect(error.description.hasPrefix("cut/model.bin: "))
            }
        }
    }

    @Test func refusesAnUnknownDTypeNamingTheVariable() throws {
        var builder = Self.smallModel()
        builder.variables[1].dtype = 9
        #expect(throws: CTranslate2Error.unknownDType(path: "bad.bin", variable: "encoder/b/bias", found: 9)) {
            try CTranslate2Model(data: builder.bytes(), path: "bad.bin")
        }
    }

    @Test func refusesAByteCountThatDisagreesWithTheShape() throws {
        var builder = Self.smallModel()
        builder.variables[0].shape = [3, 3]
        let error = #expect(throws: CTranslate2Error.self) {
            try CTranslate2Model(data: builder.bytes(), path: "m.bin")
        }
        #expect(
            error?.description
                == "m.bin: variable 'encoder/a/weight' (float16, shape [3, 3]) has 12 bytes, expected 18")
    }

    @Test func refusesAnAliasToANameThatIsNotThere() throws {
        var builder = Self.smallModel()
        builder.aliases = [("decoder/tied/weight", "encoder/missing")]
        #expect(
            throws: CTranslate2Error.unknownAliasTarget(
                path: "m.bin", alias: "decoder/tied/weight", target: "encoder/missing")
        ) { try CTranslate2Model(data: builder.bytes(), path: "m.bin") }
    }

    @Test func refusesBytesAfterTheAliasTable() throws {
        var bytes = Self.smallModel().bytes()
        bytes.append(0)
        #expect(throws: CTranslate2Error.trailingBytes(path: "m.bin", offset: bytes.count - 1, fileSize: bytes.count)) {
            try CTranslate2Model(data: bytes, path: "m.bin")
        }
    }

    @Test func refusesAnotherBinaryVersion() throws {
        var bytes = Self.smallModel().bytes()
        bytes[0] = 5
        #expect(throws: CTranslate2Error.unsupportedVersion(path: "old.bin", found: 5)) {
            try CTranslate2Model(data: bytes, path: "old.bin")
        }
    }

    @Test func refusesAnImplausibleVariableCount() throws {
        var bytes = Self.smallModel().bytes()
        // The count follows the version (4), the spec name (2 + 12) and the revision (4).
        bytes.replaceSubrange(22..<26, with: [0xFF, 0xFF, 0xFF, 0x7F])
        let error = #expect(throws: CTranslate2Error.self) { try CTranslate2Model(data: bytes, path: "m.bin") }
        #expect(error?.description.contains("the variable count is 2147483647, expected at most") == true)
    }

    @Test func randomlyCorruptedFilesNeverCrashTheReader() throws {
        let original = Self.smallModel().bytes()
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? CTranslate2Model(data: bytes, path: "fuzz.bin")
        }
    }

    @Test func aMissingFileIsReportedWithItsPath() {
        #expect(throws: CTranslate2Error.self) { try CTranslate2Model(path: "/nonexistent/model.bin") }
        do {
            _ = try CTranslate2Model(path: "/nonexistent/model.bin")
        } catch {
            #expect("\(error)".hasPrefix("/nonexistent/model.bin: cannot open"))
        }
    }
}

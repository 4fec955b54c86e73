import Foundation
import Testing

@Suite struct DoctorCommandTests {
    @Test func doctorExitsZeroWithoutASoundCardAndReportsEverySection() throws {
        let result = try TutorProcess.run(["doctor", "--quick"])
        #expect(result.status == 0, "\(result.output)\n\(result.error)")
        for section in ["[sound]", "[models]", "[cpu]", "[openblas]", "[memory and disk]"] {
            #expect(result.output.contains(section), "missing \(section)")
        }
        #expect(result.output.contains("core: "), "names OpenBLAS's chosen core")
    }

    @Test func doctorFailsAndSaysHowToFixAnEmptyModelCache() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-cache-\(UUID().uuidString)")
        let result = try TutorProcess.run(["doctor", "--quick", "--cache", empty.path])
        #expect(result.status == 1)
        #expect(result.output.contains("FAIL  missing: models/smollm2-135m-instruct-q4_1.gguf"))
        #expect(result.output.contains("fix: run Scripts/setup or `tutor models fetch`"))
    }

    @Test func modelsVerifyPassesOnTheCacheThatSetUpFilled() throws {
        let result = try TutorProcess.run(["models", "verify"])
        #expect(result.status == 0, "\(result.output)\n\(result.error)")
        #expect(!result.output.contains("MISSING") && !result.output.contains("DAMAGED"))
    }
}

import Foundation
import GGUF

/// Copies GGUF file `path` into the temporary folder with some of it changed, and returns the copy's path: tests
/// make altered or broken models out of good ones this way.
///
/// - Parameters:
///   - metadata: each key's new value (the old one to keep it).
///   - tensor: each tensor's new bytes (the old ones to keep them).
///   - addingMetadata: keys to add.
///   - addingTensors: F32 tensors to add, shape in ggml order.
func rewriteGGUF(
    _ path: String, metadata: (String, GGUFValue) -> GGUFValue = { $1 },
    tensor: (GGUFTensorInfo, Data) -> Data = { $1 }, addingMetadata: [String: GGUFValue] = [:],
    addingTensors: [(name: String, shape: [Int], values: [Float])] = []
) throws -> String {
    let file = try GGUFFile(path: path)
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("rewritten-\(UUID().uuidString).gguf")
    let writer = try GGUFWriter(path: copy.path)
    for key in file.metadata.keys.sorted() { try writer.setMetadata(key, metadata(key, file.metadata[key]!)) }
    for key in addingMetadata.keys.sorted() { try writer.setMetadata(key, addingMetadata[key]!) }
    for info in file.tensorInfos {
        try writer.addTensor(
            name: info.name, type: info.type, shape: info.shape,
            bytes: tensor(info, file.tensor(named: info.name)!.data))
    }
    for added in addingTensors { try writer.addTensor(name: added.name, shape: added.shape, float32: added.values) }
    try writer.write()
    return copy.path
}

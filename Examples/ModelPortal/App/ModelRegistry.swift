/// The portal's models, in memory: names, numbered versions with notes, and which version is
/// deployed. An actor, so concurrent requests see consistent state.
public actor ModelRegistry {
    /// One version of a model.
    public struct Version: Sendable, Equatable {
        /// The version number, from 1.
        public let number: Int
        /// The uploader's note ("" when none was given).
        public let note: String
        /// The `sub` of whoever uploaded it.
        public let uploadedBy: String
    }

    /// A model and its versions.
    public struct Model: Sendable, Equatable {
        /// The name, unique in the registry.
        public let name: String
        /// The versions, oldest first.
        public internal(set) var versions: [Version]
        /// The deployed version number, or `nil`.
        public internal(set) var deployed: Int?
    }

    /// Why a change was refused.
    public enum Failure: Error, Sendable, Equatable {
        /// No model has this name.
        case unknownModel(String)
        /// The model has no such version.
        case unknownVersion(String, Int)
        /// A model with this name exists already.
        case exists(String)
        /// The model has no version to deploy.
        case nothingToDeploy(String)
        /// The registry or the model is full.
        case full(String)

        /// What the API says.
        public var message: String {
            switch self {
            case .unknownModel(let name): "there is no model named \(name)"
            case .unknownVersion(let name, let version): "the model \(name) has no version \(version)"
            case .exists(let name): "a model named \(name) exists already"
            case .nothingToDeploy(let name): "the model \(name) has no version to deploy; upload one first"
            case .full(let what): what
            }
        }
    }

    /// At most this many models, and this many versions per model (bounded memory).
    public static let maximumModels = 1_000
    /// See ``maximumModels``.
    public static let maximumVersions = 1_000

    private var models: [String: Model]

    /// A registry holding `models`.
    public init(models: [Model] = []) {
        self.models = Dictionary(models.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A registry with two sample models: `sentiment` (3 versions, version 2 deployed) and
    /// `fraud-detector` (1 version, not deployed).
    public static func seeded() -> ModelRegistry {
        func versions(_ notes: [String]) -> [Version] {
            notes.enumerated().map { Version(number: $0.offset + 1, note: $0.element, uploadedBy: "seed") }
        }
        return ModelRegistry(models: [
            Model(name: "sentiment", versions: versions(["baseline", "more data", "distilled"]), deployed: 2),
            Model(name: "fraud-detector", versions: versions(["first cut"]), deployed: nil),
        ])
    }

    /// Every model, by name.
    public func list() -> [Model] {
        models.values.sorted { $0.name < $1.name }
    }

    /// The model called `name`.
    public func model(_ name: String) throws(Failure) -> Model {
        guard let model = models[name] else { throw .unknownModel(name) }
        return model
    }

    /// Adds an empty model.
    public func create(_ name: String) throws(Failure) -> Model {
        guard models[name] == nil else { throw .exists(name) }
        guard models.count < Self.maximumModels else { throw .full("the registry holds \(Self.maximumModels) models already") }
        let model = Model(name: name, versions: [], deployed: nil)
        models[name] = model
        return model
    }

    /// Adds a version to `name`.
    /// - Returns: The new version number.
    public func addVersion(to name: String, note: String, by subject: String) throws(Failure) -> Int {
        guard var model = models[name] else { throw .unknownModel(name) }
        guard model.versions.count < Self.maximumVersions else {
            throw .full("the model \(name) has \(Self.maximumVersions) versions already")
        }
        let number = (model.versions.last?.number ?? 0) + 1
        model.versions.append(Version(number: number, note: note, uploadedBy: subject))
        models[name] = model
        return number
    }

    /// Deploys `version` of `name` (the latest when `nil`).
    public func deploy(_ name: String, version: Int?) throws(Failure) -> Model {
        guard var model = models[name] else { throw .unknownModel(name) }
        guard let latest = model.versions.last?.number else { throw .nothingToDeploy(name) }
        let chosen = version ?? latest
        guard model.versions.contains(where: { $0.number == chosen }) else { throw .unknownVersion(name, chosen) }
        model.deployed = chosen
        models[name] = model
        return model
    }

    /// Removes `name`.
    public func delete(_ name: String) throws(Failure) {
        guard models.removeValue(forKey: name) != nil else { throw .unknownModel(name) }
    }
}

using Workbench.Protocols.Output;
using Workbench.Protocols.Runs;

namespace Workbench.Protocols.Protocols;

/// <summary>One of the note's §15 protocols (or the block-cell / Fisher studies), runnable on any probe.</summary>
public interface IProtocol
{
    string Name { get; }
    string Description { get; }
    ProtocolResult Run(ProtocolInput input);
}

public static class ProtocolRegistry
{
    public static IReadOnlyList<IProtocol> All { get; } =
        [new MarginsProtocol(), new TiesProtocol(), new TemperatureProtocol(), new HeadsProtocol(), new MasksProtocol(), new SweepProtocol(), new CellsProtocol(), new FisherProtocol()];

    public static IProtocol? Find(string name) => All.FirstOrDefault(p => p.Name == name);
}

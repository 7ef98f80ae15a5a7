using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace SerMlNet.Onnx.Graph;

/// <summary>
/// A small builder over the generated <see cref="GraphProto"/>: initializers (float32 / float64 / int64, stored as little-endian
/// <c>raw_data</c>), nodes with attributes, typed inputs and outputs with fixed or symbolic dimensions, and finally a
/// <see cref="ModelProto"/> with opset imports and metadata. Value names are generated unique (<c>prefix_k</c>).
/// Not thread-safe: one builder per model.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The default-domain opset every SerMlNet model imports (onnx 1.12, the Debian checker, knows up to 17).</summary>
    public const long Opset = 17;

    /// <summary>IR version of opset 17 (ONNX 1.12).</summary>
    public const long IrVersion = 8;

    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    /// <summary>Creates an empty graph.</summary>
    /// <param name="graphName">The graph's name.</param>
    public OnnxGraphBuilder(string graphName)
    {
        _graph = new GraphProto { Name = graphName };
    }

    /// <summary>A fresh value name not used so far.</summary>
    /// <param name="prefix">Readable prefix.</param>
    /// <returns>The name.</returns>
    private string FreshName(string prefix)
    {
        string name;
        do
        {
            name = $"{prefix}_{_counter++}";
        }
        while (!_names.Add(name));
        return name;
    }

    /// <summary>Reserves a fresh value name for a node appended later, such as the output of a sub-network that another
    /// step builds (<c>CnnGraph.Append</c> takes the name of its last value).</summary>
    /// <param name="prefix">Readable prefix.</param>
    /// <returns>The name, unused so far.</returns>
    public string Reserve(string prefix) => FreshName(prefix);

    /// <summary>Claims an exact name (graph inputs and outputs).</summary>
    /// <param name="name">The name.</param>
    /// <returns><paramref name="name"/>.</returns>
    public string Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"value name '{name}' is already used in the graph");
        }
        return name;
    }

    /// <summary>Adds a float32 initializer.</summary>
    /// <param name="prefix">Name prefix.</param>
    /// <param name="values">Row-major values; length must equal the product of <paramref name="dims"/>.</param>
    /// <param name="dims">Shape.</param>
    /// <returns>The initializer's name.</returns>
    public string AddFloat(string prefix, ReadOnlySpan<float> values, params long[] dims)
    {
        CheckCount(values.Length, dims);
        var tensor = new TensorProto { Name = FreshName(prefix), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ToLittleEndianBytes(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a float32 scalar (rank 0) initializer.</summary>
    /// <param name="prefix">Name prefix.</param>
    /// <param name="value">The value.</param>
    /// <returns>The initializer's name.</returns>
    public string AddScalar(string prefix, float value) => AddFloat(prefix, [value]);

    /// <summary>Adds an int64 initializer, 1-D unless <paramref name="dims"/> are given.</summary>
    /// <param name="prefix">Name prefix.</param>
    /// <param name="values">Row-major values.</param>
    /// <param name="dims">Shape; none for <c>[values.Length]</c>; otherwise its product must equal the number of values.</param>
    /// <returns>The initializer's name.</returns>
    public string AddInt64(string prefix, long[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = FreshName(prefix), DataType = (int)TensorProto.Types.DataType.Int64 };
        if (dims.Length == 0)
        {
            tensor.Dims.Add(values.Length);
        }
        else
        {
            CheckCount(values.Length, dims);
            tensor.Dims.AddRange(dims);
        }
        var bytes = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        }
        tensor.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds an int64 scalar (rank 0) initializer.</summary>
    /// <param name="prefix">Name prefix.</param>
    /// <param name="value">The value.</param>
    /// <returns>The initializer's name.</returns>
    public string AddInt64Scalar(string prefix, long value)
    {
        string name = AddInt64(prefix, [value]);
        _graph.Initializer[^1].Dims.Clear();
        return name;
    }

    /// <summary>Adds a float64 scalar (rank 0) initializer.</summary>
    /// <param name="prefix">Name prefix.</param>
    /// <param name="value">The value.</param>
    /// <returns>The initializer's name.</returns>
    public string AddDoubleScalar(string prefix, double value)
    {
        var tensor = new TensorProto { Name = FreshName(prefix), DataType = (int)TensorProto.Types.DataType.Double };
        var bytes = new byte[sizeof(double)];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        tensor.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a 1-D string initializer (UTF-8).</summary>
    /// <param name="prefix">Name prefix.</param>
    /// <param name="values">The strings.</param>
    /// <returns>The initializer's name.</returns>
    public string AddStrings(string prefix, IReadOnlyList<string> values)
    {
        var tensor = new TensorProto { Name = FreshName(prefix), DataType = (int)TensorProto.Types.DataType.String };
        tensor.Dims.Add(values.Count);
        foreach (string value in values)
        {
            tensor.StringData.Add(ByteString.CopyFromUtf8(value));
        }
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>
    /// Copies another graph's initializers and nodes into this one, every value name prefixed with
    /// <paramref name="prefix"/> except the source's inputs, which read the values <paramref name="inputs"/> maps them
    /// to. The source's outputs are not declared here: find them with <paramref name="prefix"/> + name.
    /// </summary>
    /// <param name="source">A graph without subgraphs (no <c>If</c>, <c>Loop</c> or <c>Scan</c>) in the default domain.</param>
    /// <param name="prefix">Prefix of the copied names; none of the prefixed names may be in use.</param>
    /// <param name="inputs">For each input of <paramref name="source"/>, the value of this graph that feeds it.</param>
    /// <exception cref="InvalidOperationException">An input is not mapped, a node holds a subgraph, or a name clashes.</exception>
    public void Import(GraphProto source, string prefix, IReadOnlyDictionary<string, string> inputs)
    {
        var initializers = new HashSet<string>(source.Initializer.Select(t => t.Name), StringComparer.Ordinal);
        foreach (ValueInfoProto input in source.Input)
        {
            if (!initializers.Contains(input.Name) && !inputs.ContainsKey(input.Name))
            {
                throw new InvalidOperationException($"input '{input.Name}' of graph '{source.Name}' is not mapped to a value");
            }
        }
        string Rename(string name) => name.Length == 0 ? name : inputs.TryGetValue(name, out string? mapped) ? mapped : prefix + name;
        foreach (TensorProto initializer in source.Initializer)
        {
            TensorProto copy = initializer.Clone();
            copy.Name = Claim(prefix + initializer.Name);
            _graph.Initializer.Add(copy);
        }
        foreach (NodeProto node in source.Node)
        {
            if (node.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))
            {
                throw new InvalidOperationException($"node '{node.Name}' ({node.OpType}) holds a subgraph, which is not imported");
            }
            NodeProto copy = node.Clone();
            copy.Name = prefix + node.Name;
            copy.Input.Clear();
            copy.Input.AddRange(node.Input.Select(Rename));
            copy.Output.Clear();
            foreach (string output in node.Output)
            {
                copy.Output.Add(output.Length == 0 ? output : Claim(prefix + output));
            }
            _graph.Node.Add(copy);
        }
    }

    /// <summary>Declares a float32 graph input.</summary>
    /// <param name="name">Input name.</param>
    /// <param name="dims">Each dimension: a <see cref="long"/> size or a <see cref="string"/> symbolic name.</param>
    /// <returns><paramref name="name"/>.</returns>
    public string AddInput(string name, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(Claim(name), TensorProto.Types.DataType.Float, dims));
        return name;
    }

    /// <summary>Declares an int64 graph input.</summary>
    /// <param name="name">Input name.</param>
    /// <param name="dims">Each dimension: a <see cref="long"/> size or a <see cref="string"/> symbolic name.</param>
    /// <returns><paramref name="name"/>.</returns>
    public string AddInt64Input(string name, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(Claim(name), TensorProto.Types.DataType.Int64, dims));
        return name;
    }

    /// <summary>Declares an existing value as a float32 graph output.</summary>
    /// <param name="name">The value's name.</param>
    /// <param name="dims">Each dimension: a <see cref="long"/> size or a <see cref="string"/> symbolic name.</param>
    public void AddOutput(string name, params object[] dims) => _graph.Output.Add(ValueInfo(name, TensorProto.Types.DataType.Float, dims));

    /// <summary>Declares an existing value as a string graph output.</summary>
    /// <param name="name">The value's name.</param>
    /// <param name="dims">Each dimension: a <see cref="long"/> size or a <see cref="string"/> symbolic name.</param>
    public void AddStringOutput(string name, params object[] dims) => _graph.Output.Add(ValueInfo(name, TensorProto.Types.DataType.String, dims));

    /// <summary>Adds a node with one output.</summary>
    /// <param name="opType">Operator (default domain).</param>
    /// <param name="inputs">Input value names; an empty string marks an omitted optional input.</param>
    /// <param name="attributes">Attributes (see <see cref="Attr"/>).</param>
    /// <param name="output">The output's name; a fresh one derived from the operator when null.</param>
    /// <returns>The output's name.</returns>
    public string Node(string opType, string[] inputs, AttributeProto[]? attributes = null, string? output = null)
        => NodeMulti(opType, inputs, 1, attributes, output is null ? null : [output])[0];

    /// <summary>Adds a node with several outputs.</summary>
    /// <param name="opType">Operator (default domain).</param>
    /// <param name="inputs">Input value names.</param>
    /// <param name="outputCount">Number of outputs.</param>
    /// <param name="attributes">Attributes.</param>
    /// <param name="outputs">Output names, or null for fresh ones.</param>
    /// <returns>The output names.</returns>
    public string[] NodeMulti(string opType, string[] inputs, int outputCount, AttributeProto[]? attributes = null, string[]? outputs = null)
    {
        outputs ??= Enumerable.Range(0, outputCount).Select(_ => FreshName(opType.ToLowerInvariant())).ToArray();
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        if (attributes is not null)
        {
            node.Attribute.AddRange(attributes);
        }
        _graph.Node.Add(node);
        return outputs;
    }

    /// <summary>Wraps the graph into a model.</summary>
    /// <param name="producerVersion">Producer version (ours).</param>
    /// <param name="modelVersion">Model version number.</param>
    /// <param name="docString">Model description.</param>
    /// <param name="metadata">Key/value pairs for <c>metadata_props</c>.</param>
    /// <returns>The model.</returns>
    public ModelProto ToModel(string producerVersion, long modelVersion, string docString, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = OnnxMetadataKeys.ProducerName,
            ProducerVersion = producerVersion,
            ModelVersion = modelVersion,
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        return model;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object d in dims)
        {
            shape.Dim.Add(d switch
            {
                long v => new TensorShapeProto.Types.Dimension { DimValue = v },
                int v => new TensorShapeProto.Types.Dimension { DimValue = v },
                string p => new TensorShapeProto.Types.Dimension { DimParam = p },
                _ => throw new ArgumentException($"dimension {d} is neither a size nor a symbolic name", nameof(dims)),
            });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape },
            },
        };
    }

    private static void CheckCount(int count, long[] dims)
    {
        long expected = 1;
        foreach (long d in dims)
        {
            expected *= d;
        }
        if (expected != count)
        {
            throw new ArgumentException($"{count} values do not fill a tensor of shape [{string.Join(", ", dims)}]");
        }
    }

    private static ByteString ToLittleEndianBytes(ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            return ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        }
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }
        return ByteString.CopyFrom(bytes);
    }
}

using Newtonsoft.Json;

namespace Signaling.Protocol.SocketIo.Json;

/// <summary>
/// A <see cref="JsonTextWriter"/> that writes strings and numbers as <c>JSON.stringify</c> does (see
/// <see cref="JsString"/> and <see cref="JsNumberFormat"/>), so what a JavaScript client sent comes out
/// of decode and encode with the same text. Non-finite doubles become <c>null</c>, as in JavaScript.
/// </summary>
internal sealed class PayloadJsonWriter : JsonTextWriter
{
    private readonly TextWriter _output;

    public PayloadJsonWriter(TextWriter output)
        : base(output)
    {
        _output = output;
        Formatting = Formatting.None;
        CloseOutput = false;
    }

    public override void WritePropertyName(string name) =>
        // With escape: false the base class only adds the quotes, and the separators before.
        base.WritePropertyName(JsString.NeedsEscaping(name) ? JsString.Quote(name)[1..^1] : name, escape: false);

    public override void WriteValue(string? value)
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        // An empty raw value lets the base class write the separator; the string goes straight out.
        WriteRawValue(string.Empty);
        JsString.Write(_output, value);
    }

    public override void WriteValue(double value)
    {
        if (double.IsFinite(value))
        {
            WriteRawValue(JsNumberFormat.Format(value));
        }
        else
        {
            WriteNull();
        }
    }

    public override void WriteValue(double? value)
    {
        if (value is double number)
        {
            WriteValue(number);
        }
        else
        {
            WriteNull();
        }
    }

    public override void WriteValue(float value) => WriteValue((double)value);

    public override void WriteValue(float? value) => WriteValue((double?)value);
}

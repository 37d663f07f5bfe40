using Newtonsoft.Json;

namespace Signaling.Protocol.SocketIo.Json;

/// <summary>
/// A <see cref="JsonTextWriter"/> that writes strings and numbers as <c>JSON.stringify</c> does (see
/// <see cref="JsString"/> and <see cref="JsNumberFormat"/>), so what a JavaScript client sent comes out
/// of decode and encode with the same text. Non-finite doubles become <c>null</c>, and dates (decoded from
/// another node's MessagePack) their <c>toISOString()</c> text, as in JavaScript.
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

    public override void WriteValue(DateTime value) =>
        WriteValue((value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value)
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));

    public override void WriteValue(DateTimeOffset value) => WriteValue(value.UtcDateTime);

    public override void WriteValue(float? value) => WriteValue((double?)value);
}

// The npm package's NativeMethods.shared.cs (Unity-modified) uses System.Reflection.Assembly in its .NET-only
// DllImportResolver without importing the namespace (Unity never compiles that branch). This global using is the only
// addition needed to compile the unmodified ONNX Runtime 1.29 C# sources for net10.0.
global using System.Reflection;

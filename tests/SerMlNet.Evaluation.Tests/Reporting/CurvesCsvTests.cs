using SerMlNet.Evaluation.Reporting;
using SerMlNet.Tests;

namespace SerMlNet.Evaluation.Tests.Reporting;

public class CurvesCsvTests
{
    [Fact]
    public void ReadsTheTrainerColumnsInAnyOrderWithNaNs()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "curves.csv");
        File.WriteAllText(path,
            "epoch,train_loss,val_loss,train_acc,val_acc,val_macro_f1,lr,seconds,extra\n" +
            "1,2.05,1.9,0.21,0.25,0.18,0.001,31.5,x\n" +
            "2,1.60,nan,0.40,,0.30,0.001,30.25,y\n");
        IReadOnlyList<CurveRow> rows = CurvesCsv.Read(path);
        Assert.Equal(2, rows.Count);
        Assert.Equal(new CurveRow(1, 2.05, 1.9, 0.21, 0.25, 0.18, 0.001, 31.5), rows[0]);
        Assert.True(double.IsNaN(rows[1].ValLoss));
        Assert.True(double.IsNaN(rows[1].ValAcc));
        Assert.Equal(0.30, rows[1].ValMacroF1);

        File.WriteAllText(path, " Seconds ,LR,val_macro_f1,val_acc,train_acc,val_loss,train_loss,EPOCH\n12,0.01,0.5,0.6,0.7,0.8,0.9,3\n");
        Assert.Equal(new CurveRow(3, 0.9, 0.8, 0.7, 0.6, 0.5, 0.01, 12), CurvesCsv.Read(path).Single());
    }

    [Fact]
    public void WriteThenReadRoundTrips()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "curves.csv");
        List<CurveRow> rows = SyntheticReport.Curves();
        rows[3] = rows[3] with { ValLoss = double.NaN };
        CurvesCsv.Write(path, rows);
        Assert.StartsWith("epoch,train_loss,val_loss,train_acc,val_acc,val_macro_f1,lr,seconds\n", File.ReadAllText(path).Replace("\r\n", "\n"));
        Assert.Equal(rows, CurvesCsv.Read(path));
    }

    [Fact]
    public void ReportsMissingColumnsAndBadCells()
    {
        using TempFolder folder = RepoPaths.NewTempFolder();
        string path = Path.Combine(folder.Path, "curves.csv");
        File.WriteAllText(path, "epoch,train_loss\n1,2\n");
        var missing = Assert.Throws<InvalidFileException>(() => CurvesCsv.Read(path));
        Assert.Contains("val_loss, train_acc, val_acc, val_macro_f1, lr, seconds", missing.Message);
        File.WriteAllText(path, "epoch,train_loss,val_loss,train_acc,val_acc,val_macro_f1,lr,seconds\n1,2,abc,0,0,0,0,0\n");
        var bad = Assert.Throws<InvalidFileException>(() => CurvesCsv.Read(path));
        Assert.Contains("row 2: val_loss 'abc'", bad.Message);
        Assert.Throws<FileNotFoundException>(() => CurvesCsv.Read(Path.Combine(folder.Path, "none.csv")));
    }
}

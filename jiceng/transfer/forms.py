from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(
        label="台账文件",
        help_text="支持 xlsx、xls、ods、csv（UTF-8或GBK）",
        allow_empty_file=True,  # the import says "文件是空的", as on the command line
    )
    dry_run = forms.BooleanField(
        label="先预检（不保存，查看将新增、更新和拒绝的行）",
        required=False,
        initial=True,
    )


class SheetForm(forms.Form):
    """Which of the workbook's sheets holding data to import."""

    sheet = forms.TypedChoiceField(label="工作表", coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [
            (index, f"第{index + 1}个：{name}") for index, name in choices
        ]


class MappingForm(forms.Form):
    """One select per template column: which column of the file holds it."""

    def __init__(self, *args, columns, required, header, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "（无此列）")] + [(h, h) for h in header if h]
        for column in columns:
            self.fields[column] = forms.ChoiceField(
                label=column,
                choices=choices,
                required=column in required,
                initial=column if column in header else "",
            )

"""Forms read like a finished product: an empty choice says 请选择, required fields are marked."""

from django.urls import reverse


def test_the_plan_form_offers_qing_xuanze_and_marks_required_fields(client, owner):
    client.force_login(owner)
    body = client.get(reverse("filings:plan_create")).content.decode()
    assert "---------" not in body
    assert "请选择" in body
    assert '<label for="id_title">培训名称' in body
    title_label = body.split('<label for="id_title">', 1)[1].split("</label>", 1)[0]
    assert 'class="required-mark"' in title_label


def test_labels_end_in_a_full_width_colon():
    from filings.forms import ReasonForm

    html = ReasonForm().as_p()
    assert "意见：</label>" in html
    assert "意见:</label>" not in html

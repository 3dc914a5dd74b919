from django.contrib import admin

from postcodes.models import Area, Municipality, Postcode


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "province"]
    list_filter = ["province"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "place", "municipality", "province"]
    list_filter = ["province"]
    search_fields = ["code", "place"]
    list_select_related = ["municipality"]
    readonly_fields = ["code"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["code", "place", "municipality"]
    search_fields = ["code", "place"]
    list_select_related = ["municipality"]
    show_full_result_count = False
    raw_id_fields = ["area", "municipality"]

from django.contrib import admin

from postcodes.models import Area, FormerMunicipality, Municipality, Postcode


class FormerMunicipalityInline(admin.TabularInline):
    model = FormerMunicipality
    fk_name = "successor"
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "province"]
    list_filter = ["province"]
    search_fields = ["name", "code", "former_municipalities__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FormerMunicipalityInline]


@admin.register(FormerMunicipality)
class FormerMunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "successor"]
    search_fields = ["name", "successor__name"]
    list_select_related = ["successor"]


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
